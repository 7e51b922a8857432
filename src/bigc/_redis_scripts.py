"""The Lua scripts behind ``RedisQuota``: one store's quota, shared through Redis.

Each acquire and each release is one script, so Redis runs it atomically
however many processes ask at once. Times are Redis's own clock (``TIME``),
so machines whose clocks disagree still agree on the window. The rules are
``RateLimiter``'s (``_ratelimit``), written a second time in Lua:

- the state hash holds the latest report (``left``, ``reset_at``), the quota,
  the window and when the next request may go (``next_at``: what is left is
  spread evenly until the reset);
- requests in flight are leases in a sorted set (id -> expiry): a process that
  dies mid-request stops counting when its lease expires;
- processes waiting for a slot queue up (id -> a ticket number) and take
  turns, so one with many requests waiting is not served more often; a waiter
  that does not come back in time (``GRACE_MS`` after its wait) loses its turn;
- a report from the server overrides the estimate, except a late one from an
  earlier window; within one window the lowest count wins.

No I/O here: the clients run the scripts with redis-py's ``register_script``.
"""

from __future__ import annotations

from collections.abc import Mapping

from bigc._ratelimit import parse_report

__all__ = [
    "ACQUIRE",
    "GRACE_MS",
    "KEEP_MS",
    "RELEASE",
    "TURN_WAIT_MS",
    "redis_errors",
    "release_args",
]

# A store nobody used for a day leaves nothing behind in Redis.
KEEP_MS = 86_400_000
# How long the head of the queue may be late before the next process's turn.
GRACE_MS = 200
# How soon a process that is not the head of the queue asks again.
TURN_WAIT_MS = 10

_NOW = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
"""

# KEYS: state hash, leases set, waiting queue, waiters' deadlines. ARGV: lease id, lease
# ms, short wait ms, keep ms, process id, turn wait ms, grace ms.
# Returns 0 when the lease was taken, else the milliseconds to wait.
ACQUIRE = (
    _NOW
    + """
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
local gone = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', now)
for _, waiter in ipairs(gone) do
  redis.call('ZREM', KEYS[3], waiter) -- did not come back in time: dead, or gave up
end
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now)
local in_flight = redis.call('ZCARD', KEYS[2])
local s = redis.call('HMGET', KEYS[1], 'answered', 'tracked', 'left', 'reset_at', 'quota',
                     'window', 'next_at')
if s[2] == '1' then
  local left = tonumber(s[3])
  local reset_at = tonumber(s[4])
  local next_at = tonumber(s[7]) or 0
  if now >= reset_at then
    -- The window has reset: assume the whole quota until an answer says otherwise.
    left = math.max(tonumber(s[5]), 1)
    reset_at = now + tonumber(s[6])
    next_at = now
    redis.call('HSET', KEYS[1], 'left', left, 'reset_at', reset_at, 'guessed', 1,
               'next_at', next_at)
  end
  local budget = left - in_flight
  local wait = 0
  if budget <= 0 then
    wait = math.max(reset_at - now, 1)
  elseif now < next_at then
    wait = next_at - now
  else
    local head = redis.call('ZRANGE', KEYS[3], 0, 0)[1]
    if head and head ~= ARGV[5] then
      wait = tonumber(ARGV[6]) -- the slot is the longest waiting process's
    end
  end
  if wait > 0 then
    -- Wait in line: processes take turns in the order they first asked.
    if not redis.call('ZSCORE', KEYS[3], ARGV[5]) then
      redis.call('ZADD', KEYS[3], redis.call('HINCRBY', KEYS[1], 'tickets', 1), ARGV[5])
    end
    redis.call('ZADD', KEYS[4], now + wait + tonumber(ARGV[7]), ARGV[5])
    redis.call('PEXPIRE', KEYS[3], ARGV[4])
    redis.call('PEXPIRE', KEYS[4], ARGV[4])
    return wait
  end
  redis.call('ZREM', KEYS[3], ARGV[5])
  redis.call('ZREM', KEYS[4], ARGV[5])
  redis.call('HSET', KEYS[1], 'next_at', now + math.floor((reset_at - now) / budget))
elseif s[1] ~= '1' and in_flight > 0 then
  -- Nothing known yet: one request goes alone and its answer tells the rest.
  return tonumber(ARGV[3])
end
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
return 0
"""
)

# KEYS: state hash, leases set. ARGV: lease id ('' for none), '1' when an answer
# came, left, reset ms, quota, window ms ('' when not reported), keep ms.
# Returns 1 when the report was taken as the store's state, else 0.
RELEASE = (
    _NOW
    + """
if ARGV[1] ~= '' then
  redis.call('ZREM', KEYS[2], ARGV[1])
end
if ARGV[2] ~= '1' then
  return 0
end
redis.call('HSET', KEYS[1], 'answered', 1)
redis.call('PEXPIRE', KEYS[1], ARGV[7])
local left = tonumber(ARGV[3])
local reset_ms = tonumber(ARGV[4])
if left == nil or reset_ms == nil then
  return 0
end
local reset_at = now + reset_ms
local window = tonumber(ARGV[6]) or reset_ms
local s = redis.call('HMGET', KEYS[1], 'tracked', 'left', 'reported_reset_at', 'guessed',
                     'quota', 'window')
if s[1] == '1' then
  local tolerance = math.min(500, tonumber(s[6]) / 10)
  local reported = tonumber(s[3])
  if reset_at < reported - tolerance then
    return 0 -- from an earlier window, overtaken by a later answer
  end
  if reset_at <= reported + tolerance then
    if s[4] == '1' then
      return 0 -- that window is over by Redis's clock
    end
    left = math.min(left, tonumber(s[2]))
  end
end
local quota = math.max(tonumber(ARGV[5]) or tonumber(s[5]) or 0, left)
redis.call('HSET', KEYS[1], 'tracked', 1, 'left', left, 'reset_at', reset_at,
           'reported_reset_at', reset_at, 'guessed', 0, 'quota', quota, 'window', window)
return 1
"""
)


def release_args(lease: str, headers: Mapping[str, str] | None) -> list[str | int]:
    """RELEASE's arguments for a slot given back with an answer's ``headers``."""
    if headers is None:
        return [lease, 0, "", "", "", "", KEEP_MS]
    report = parse_report(headers)
    if report is None:
        return [lease, 1, "", "", "", "", KEEP_MS]
    return [
        lease,
        1,
        report.left,
        report.reset_ms,
        "" if report.quota is None else report.quota,
        "" if report.window_ms is None else report.window_ms,
        KEEP_MS,
    ]


def redis_errors() -> tuple[type[Exception], ...]:
    """What a Redis that is down or unreachable raises (redis-py imported lazily).

    RuntimeError: redis.asyncio's connections belong to the event loop they
    were made in; a client that outlives an ``asyncio.run`` (a Celery task per
    ``asyncio.run``) fails its commands under the next loop with one.
    """
    from redis.exceptions import RedisError

    return (RedisError, OSError, RuntimeError)
