"""Redirect import/export jobs (``/v3/storefront/redirects/imex/...``).

A job runs to completion when it is created: an export writes the store's
redirects as CSV, an import reads a CSV (the standard library's ``csv``) and
upserts its rows through :class:`Redirects`, recording an error per bad
row. Each job then answers its events (one ``message`` with its counts), an
export its download, and unknown job IDs (or an export's ID asked as an
import's, and the reverse) answer 404, as BigCommerce does.

A CSV row names its site by domain (``Redirects.domains``).
"""

from __future__ import annotations

import csv
import io
import json
import random
import uuid
from typing import Any

from bigc.testing._dates import iso, utcnow
from bigc.testing._forms import FormFile, is_form
from bigc.testing._http import ApiError, Call, json_reply
from bigc.testing._listing import fields_of, select, v3_list
from bigc.testing._redirects import DYNAMIC_TYPES, Redirects, target_of
from bigc.testing._reply import Reply
from bigc.testing._routes import Route
from bigc.testing._table import Record

__all__ = ["HEADER", "RedirectJobs"]

HEADER = ("Domain", "Old Path", "Manual URL/Path", "Dynamic Target Type", "Dynamic Target ID")
BASE = "/v3/storefront/redirects/imex"
MAX_IMPORT_BYTES = 20 * 1024 * 1024  # BigCommerce's limit for an import file
JOB_FIELDS = fields_of(id="str", type="str", status="str")


class RedirectJobs:
    def __init__(self, redirects: Redirects, seed: int = 0) -> None:
        self.redirects = redirects
        self.jobs: dict[str, Record] = {}
        self._random = random.Random(seed)

    def routes(self) -> list[Route]:
        return [
            ("GET", BASE + "/jobs", self.list_jobs),
            ("POST", BASE + "/export", self.export),
            ("GET", BASE + "/export/{uuid}/download", self.download),
            ("GET", BASE + "/export/{uuid}/events", self.export_events),
            ("POST", BASE + "/import", self.import_),
            ("GET", BASE + "/import/{uuid}/events", self.import_events),
        ]

    def list_jobs(self, call: Call) -> Reply:
        shown = [_shown(job) for job in self.jobs.values()]
        return v3_list(call, select(call, shown, JOB_FIELDS))

    def export(self, call: Call) -> Reply:
        body = call.json_object()
        site_id, ids = body.get("site_id"), body.get("redirect_ids") or []
        if site_id is not None and (not isinstance(site_id, int) or isinstance(site_id, bool)):
            raise call.invalid("The field 'site_id' must be an integer.", {"site_id": "invalid"})
        if not isinstance(ids, list) or not all(isinstance(i, int) for i in ids):
            raise call.invalid(
                "The field 'redirect_ids' must be a list of integers.", {"redirect_ids": "invalid"}
            )
        chosen = [
            r
            for r in self.redirects.table
            if (site_id is None or r["site_id"] == site_id) and (not ids or r["id"] in ids)
        ]
        if not chosen:
            raise ApiError(409, "No Redirects in your store meet the criteria in your request.")
        domains = self.redirects.domains(call)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(HEADER)
        for r in chosen:
            to = r["to"]
            dynamic = to["type"] != "url"
            writer.writerow(
                [
                    domains.get(r["site_id"], ""),
                    r["from_path"],
                    "" if dynamic else to["url"],
                    to["type"].capitalize() if dynamic else "",
                    to["entity_id"] if dynamic else "",
                ]
            )
        job = self._job("export", len(chosen), len(chosen), [])
        job["csv"] = out.getvalue()
        return json_reply(201, {"id": job["id"]})

    def import_(self, call: Call) -> Reply:
        form = is_form(call.headers.get("content-type")) and isinstance(call.body, dict)
        upload = call.body.get("import_file") if form else None
        if not isinstance(upload, str):
            raise ApiError(400, "The form data must have an 'import_file' field (a CSV file).")
        raw = upload.content if isinstance(upload, FormFile) else upload.encode()
        if len(raw) > MAX_IMPORT_BYTES:
            raise ApiError(413, "The provided file is too large. The maximum file size is 20MB.")
        try:
            rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
        except (UnicodeDecodeError, csv.Error):
            raise ApiError(400, "The file 'import_file' is not a CSV file.") from None
        if not rows or tuple(cell.strip() for cell in rows[0]) != HEADER:
            raise ApiError(400, f"The CSV's header must be: {','.join(HEADER)}.")
        sites = {domain: site for site, domain in self.redirects.domains(call).items()}
        errors: list[Record] = []
        data = [(n, row) for n, row in enumerate(rows[1:], start=2) if any(c.strip() for c in row)]
        for n, row in data:
            problem = self._import_row(sites, [c.strip() for c in row])
            if problem:
                errors.append({"row": n, "message": problem})
        job = self._job("import", len(data), len(data) - len(errors), errors)
        return json_reply(201, {"id": job["id"]})

    def download(self, call: Call) -> Reply:
        job = self._find(call, "export")
        return Reply(200, [("Content-Type", "text/csv")], job["csv"].encode())

    def export_events(self, call: Call) -> Reply:
        return _events(self._find(call, "export"))

    def import_events(self, call: Call) -> Reply:
        return _events(self._find(call, "import"))

    # -- helpers -------------------------------------------------------------------------

    def _import_row(self, sites: dict[str, int], row: list[str]) -> str:
        """Upsert one CSV row; what is wrong with it, or "" when it was imported."""
        if len(row) != len(HEADER):
            return f"The row has {len(row)} columns, not {len(HEADER)}."
        domain, from_path, url, kind, entity = row
        site_id = sites.get(domain.lower())
        if site_id is None:
            return f"No site has the domain {domain!r}."
        if not from_path.startswith("/"):
            return "The Old Path must start with '/'."
        if url and (kind or entity):
            return "A row has either a Manual URL/Path or a Dynamic Target, not both."
        if url:
            to: Any = {"type": "url", "url": url}
        elif kind.lower() in DYNAMIC_TYPES and entity.isascii() and entity.isdigit():
            to = {"type": kind.lower(), "entity_id": int(entity)}
        else:
            return "The row needs a Manual URL/Path or a Dynamic Target Type and ID."
        problem, checked = target_of(to)
        if problem:
            return problem
        self.redirects.save(site_id, from_path, checked)
        return ""

    def _job(self, kind: str, total: int, done: int, errors: list[Record]) -> Record:
        now = iso(utcnow())
        job_id = str(uuid.UUID(int=self._random.getrandbits(128), version=4))
        job: Record = {
            "id": job_id,
            "type": kind,
            "status": "complete",
            "completed_items": done,
            "failed_items": total - done,
            "total_items": total,
            "errors": errors,
            "created_at": now,
            "completed_at": now,
        }
        self.jobs[job_id] = job
        return job

    def _find(self, call: Call, kind: str) -> Record:
        job = self.jobs.get(call.args[0])
        if job is None or job["type"] != kind:
            raise ApiError(404, f"The {kind} job {call.args[0]!r} does not exist.")
        return job


def _shown(job: Record) -> Record:
    """A job as listed: without the CSV an export keeps."""
    return {k: v for k, v in job.items() if k != "csv"}


def _events(job: Record) -> Reply:
    """The job's one event: it completed when it was created."""
    keys: tuple[str, ...] = ("status", "completed_items", "total_items")
    if job["type"] == "import":
        keys += ("failed_items", "errors")
    data = {"job_id": job["id"], **{k: job[k] for k in keys}}
    body = f"event: message\ndata: {json.dumps(data, separators=(',', ':'))}\n\n"
    return Reply(200, [("Content-Type", "text/event-stream")], body.encode())
