"""Realistic text for sample records: HTML product descriptions, SEO fields, metadata.

Real BigCommerce products are 2.5-4 KB of JSON, most of it an HTML description
and SEO text; customers and orders carry IP addresses, notes and cart IDs.
Benchmarks on records without them flatter a client (less to transfer, less
to decode). Everything here is drawn from the caller's ``random.Random``, so a
record stays a pure function of its seed and id, and built with
random bytes that pick words from a short list, so that 100,000 products
still build quickly (about 50 µs each).
"""

from __future__ import annotations

import random
from operator import itemgetter
from typing import Any

__all__ = ["customer_details", "order_details", "product_details"]

_WORD_TEXT = (
    "crafted durable lightweight premium everyday design comfort quality finish natural "
    "material soft sturdy handmade classic modern versatile practical elegant simple "
    "detail texture colour size perfect home office travel kitchen outdoor gift use "
    "easy clean care water resistant stainless steel solid oak cotton linen wool "
    "recycled sustainable responsibly sourced tested guaranteed warranty years season "
    "style fits pairs with any room keeps warm cool dry light strong smooth matte "
    "gloss brushed polished edge corner handle base lid strap pocket zip seam stitch "
    "layer fabric grain weave blend insulated double walled dishwasher safe oven "
    "microwave freezer compact folding stackable portable adjustable removable "
    "washable breathable ergonomic balanced generous roomy slim ships ready to"
)
WORDS = tuple(_WORD_TEXT.split())
_WORD_OF_BYTE = (WORDS * (256 // len(WORDS) + 1))[:256]  # a random byte picks a word
MATERIALS = ("Solid oak", "Stainless steel", "Organic cotton", "Recycled PET", "Stoneware", "Linen")
FINISHES = ("Matte", "Brushed", "Natural oil", "Powder coated", "Glazed", "Unfinished")
ORIGINS = ("Portugal", "Vietnam", "United States", "Denmark", "Mexico", "India")
SHIPPING = (
    "Usually ships in 24 hours.",
    "Ships in 2-3 business days.",
    "Made to order: ships within 2 weeks.",
)
NOTES = (
    "",
    "",
    "Wholesale account; invoice monthly.",
    "Prefers delivery after 5 pm.",
    "VIP: include a handwritten note.",
)
COMPANIES = ("", "", "", "Northwind Traders", "Blue Harbor Cafe", "Pine & Co.", "Studio Nine")
MESSAGES = ("", "", "", "Please leave the parcel at the side door.", "Gift: no prices please.")


class _Prose:
    """Sentences cut from one draw of words: one ``choices`` call per record, not per sentence."""

    def __init__(self, rng: random.Random, words: int = 480) -> None:
        self.rng = rng
        self.words = itemgetter(*rng.randbytes(words))(_WORD_OF_BYTE)
        self.at = 0

    def sentence(self, low: int, high: int) -> str:
        count = low + int(self.rng.random() * (high - low))
        if self.at + count > len(self.words):
            self.at = 0
        self.at += count
        return " ".join(self.words[self.at - count : self.at]).capitalize() + "."

    def paragraph(self, sentences: int) -> str:
        return " ".join(self.sentence(7, 16) for _ in range(sentences))


def description(prose: _Prose, name: str) -> str:
    """An HTML description of about 0.7-1.6 KB, shaped like a real store's."""
    rng = prose.rng
    features = "".join(f"<li>{prose.sentence(5, 11)}</li>" for _ in range(rng.randrange(3, 7)))
    specs = (
        ("Material", rng.choice(MATERIALS)),
        ("Finish", rng.choice(FINISHES)),
        ("Made in", rng.choice(ORIGINS)),
        ("Care", prose.sentence(4, 8)),
    )
    rows = "".join(f"<tr><th>{key}</th><td>{value}</td></tr>" for key, value in specs)
    return (
        f"<p><strong>{name}</strong> {prose.paragraph(rng.randrange(1, 4))}</p>"
        f'<ul class="features">{features}</ul>'
        f"<h3>Details</h3><p>{prose.paragraph(rng.randrange(1, 5))}</p>"
        f'<table class="specs"><tbody>{rows}</tbody></table>'
        f"<h3>Care and warranty</h3><p>{prose.paragraph(rng.randrange(1, 3))}</p>"
    )


def _digits(rng: random.Random, count: int) -> str:
    return "".join(rng.choices("0123456789", k=count))


def product_details(rng: random.Random, product_id: int, name: str, price: float) -> dict[str, Any]:
    """The descriptive fields of a sample product (prices and stock are the caller's)."""
    prose = _Prose(rng)
    keywords = rng.sample(WORDS, 6)
    summary = prose.sentence(14, 24)
    return {
        "description": description(prose, name),
        "width": round(rng.uniform(2, 60), 1),
        "depth": round(rng.uniform(2, 60), 1),
        "height": round(rng.uniform(2, 90), 1),
        "cost_price": round(price * 0.45, 2),
        "retail_price": round(price * 1.2, 2),
        "map_price": 0.0,
        "product_tax_code": rng.choice(("", "PC040100", "PH050102")),
        "inventory_warning_level": rng.randrange(0, 20),
        "reviews_rating_sum": (reviews := rng.randrange(0, 40)) * rng.randrange(3, 6),
        "reviews_count": reviews,
        "related_products": [-1] if product_id % 3 else sorted(rng.sample(range(1, 500), 3)),
        "warranty": f"{rng.randrange(1, 6)}-year limited warranty. {prose.sentence(8, 14)}",
        "bin_picking_number": f"{rng.choice('ABCDEF')}-{rng.randrange(1, 40):02d}-{product_id % 9}",
        "upc": _digits(rng, 12),
        "mpn": f"MPN-{product_id:06d}-{rng.randrange(100):02d}",
        "gtin": _digits(rng, 13),
        "search_keywords": ", ".join(keywords),
        "availability_description": rng.choice(SHIPPING),
        "page_title": f"{name} | {keywords[0].capitalize()} {keywords[1]}",
        "meta_keywords": keywords[:4],
        "meta_description": summary[:160],
        "view_count": rng.randrange(0, 20000),
        "open_graph_title": name,
        "open_graph_description": summary,
        "open_graph_use_meta_description": False,
    }


def _ipv4(rng: random.Random) -> str:
    first, second, third = rng.randrange(11, 223), rng.randrange(256), rng.randrange(256)
    return f"{first}.{second}.{third}.{rng.randrange(1, 255)}"


def customer_details(rng: random.Random, customer_id: int) -> dict[str, Any]:
    """The fields of a sample customer besides name, email and dates."""
    return {
        "company": rng.choice(COMPANIES),
        "phone": f"+1 {rng.randrange(201, 990)}-555-{customer_id % 10000:04d}",
        "registration_ip_address": _ipv4(rng),
        "notes": rng.choice(NOTES),
        "customer_group_id": rng.choice((0, 0, 0, 1, 2)),
        "accepts_product_review_abandoned_cart_emails": rng.random() < 0.6,
        "store_credit_amounts": [{"amount": rng.choice((0.0, 0.0, 0.0, 10.0, 25.0))}],
    }


def order_details(rng: random.Random) -> dict[str, Any]:
    """The metadata of a sample order: where it came from, its cart, its notes."""
    cart = "%08x-%04x-4%03x-%04x-%012x" % tuple(  # noqa: UP031 - a UUID's groups
        rng.getrandbits(bits) for bits in (32, 16, 12, 16, 48)
    )
    country = rng.choice((("United States", "US"), ("Canada", "CA"), ("United Kingdom", "GB")))
    return {
        "cart_id": cart,
        "order_source": rng.choice(("www", "www", "mobile", "iphone")),
        "payment_provider_id": f"pi_{rng.getrandbits(96):024x}",
        "ip_address": _ipv4(rng),
        "ip_address_v6": f"2001:db8:{rng.getrandbits(16):x}::{rng.getrandbits(16):x}",
        "geoip_country": country[0],
        "geoip_country_iso2": country[1],
        "customer_message": rng.choice(MESSAGES),
        "staff_notes": rng.choice(NOTES),
    }
