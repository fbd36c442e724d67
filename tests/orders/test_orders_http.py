"""The HTTP adapter against a fake shop API on 127.0.0.1, configured by the repo's config/orders.yml.

The fake shop speaks a different JSON shape from ours (``state: in_transit``, ``fulfillment.tracking.code``,
``items[].qty``...), so every mapping in the example configuration is exercised.
"""

from __future__ import annotations

import copy
import json
import logging
import threading
import time
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from helpdesk.orders import (
    Address,
    BackendError,
    CustomerNotFound,
    OrderNotFound,
    OrderStatus,
    PolicyRefusal,
    RefundState,
    ReturnReason,
    Tier,
    order_system_from_config,
)
from helpdesk.orders.config import PROJECT_ROOT
from helpdesk.orders.http_adapter import HttpConfig, HttpConfigError, HttpOrderSystem
from helpdesk.orders.mapping import FieldMap, get_path, set_path

pytestmark = pytest.mark.anyio

NOW = datetime(2025, 3, 12, 12, 0, tzinfo=UTC)
TOKEN = "test-token-4f9a2c"  # what the test puts in the environment variable the config names
SLOW_SECONDS = 1.5


def shop_order(number: str, state: str, **extra: Any) -> dict[str, Any]:
    order = {
        "id": number,
        "state": state,
        "created_at": "2025-03-09T07:30:00Z",
        "customer": {"id": "cus_7731", "email": "ann.lee@example.com"},
        "fulfillment": {"carrier": None, "shipped_at": None, "delivered_at": None, "tracking": None},
        "shipping": {
            "recipient": "Ann Lee",
            "line1": "Lange Voorhout 18",
            "city": "Den Haag",
            "zip": "2511 AB",
            "country_code": "nl",
        },
        "items": [
            {"sku": "LH-TXT-0412", "title": "Chunky knit throw, oat", "qty": 1, "price": "89.00"},
            {
                "sku": "LH-CAN-0501",
                "title": "Fig & cedar scented candle",
                "title_zh": "无花果雪松香薰蜡烛",
                "qty": 2,
                "price": 28,
                "flags": {},
            },
            {
                "sku": "LH-CLR-0901",
                "title": "Stoneware vase",
                "qty": 1,
                "price": "24.00",
                "flags": {"final_sale": True},
            },
        ],
        "amounts": {"total": "169.00", "currency": "EUR"},
    }
    order.update(extra)
    return order


IN_TRANSIT = {
    "carrier": "DHL",
    "shipped_at": "2025-03-10T15:02:00+01:00",
    "estimated_delivery": "2025-03-13",
    "delivered_at": None,
    "tracking": {"code": "JVGL0625347802113450", "url": "https://www.dhl.com/track?id=JVGL0625347802113450"},
}
DELIVERED = {**IN_TRANSIT, "delivered_at": 1741525200}  # Unix seconds: 2025-03-09 13:00 UTC

SHOP_ORDERS = {
    "100234": shop_order("100234", "in_transit", fulfillment=IN_TRANSIT),
    "100301": shop_order("100301", "processing", created_at="2025-03-11T08:00:00Z"),  # shop refuses to cancel
    "100302": shop_order("100302", "processing", created_at="2025-03-08T10:00:00"),  # no offset: UTC
    "100303": shop_order("100303", "completed", created_at="2025-03-05T10:00:00Z", fulfillment=DELIVERED),
    "100304": shop_order("100304", "on_hold"),
    "100305": shop_order("100305", "return_open", fulfillment=DELIVERED),
    "100306": shop_order("100306", "processing"),  # answers 422 without a reason
    "100307": shop_order("100307", "processing"),  # answers with a reason code we don't know
}
SHOP_CUSTOMERS = {
    "cus_7731": {
        "id": "cus_7731",
        "email": "Ann.Lee@example.com",
        "first_name": "Ann",
        "last_name": "Lee",
        "default_address": {"zip": "2511 AB"},
        "segment": "regular",
    },
    "cus_8000": {
        "id": "cus_8000",
        "email": "marco.rossi@example.org",
        "first_name": "Marco",
        "last_name": "Rossi",
        "default_address": {"zip": "20121"},
        "segment": "circle",
    },
}
SHOP_REFUNDS = {
    "100305": {"status": "pending", "amount": "118.90", "currency": "EUR", "expected_date": "2025-03-21"},
    "100303": {"status": "paid", "amount": 56, "currency": "EUR", "completed_at": "2025-03-11T14:00:00Z"},
}


class FakeShop:
    """The shop's API: answers like a real one would, and records what it was asked."""

    def __init__(self) -> None:
        self.orders = copy.deepcopy(SHOP_ORDERS)
        self.requests: list[dict[str, Any]] = []

    def answer(self, method: str, path: str, query: dict[str, list[str]], body: Any) -> tuple[int, Any]:
        parts = path.removeprefix("/api/v2/").split("/")
        if parts[0] == "orders" and len(parts) >= 2:
            number = parts[1]
            if number == "100500":
                return 500, {"error": "database on fire"}
            if number == "100777":
                time.sleep(SLOW_SECONDS)
            order = self.orders.get(number)
            if order is None:
                return 404, {"error": {"code": "NOT_FOUND"}}
            action = (method, "/".join(parts[2:]))
            if action == ("GET", ""):
                return 200, {"order": order}
            if action == ("POST", "cancel"):
                if number == "100301":
                    return 409, {"error": {"code": "ORDER_LOCKED_FOR_PACKING", "message": "picking started"}}
                if number == "100306":
                    return 422, {"error": {"message": "cannot"}}
                if number == "100307":
                    return 409, {"error": {"code": "FRAUD_REVIEW", "message": "held"}}
                order["state"] = "canceled"
                return 200, {"order": order}
            if action == ("PUT", "shipping-address"):
                order["shipping"] = body["shipping"]
                return 200, {"order": order}
            if action == ("POST", "returns/quote"):  # the shop's own price: a goodwill €5 more back, 3 weeks to send
                value = sum(
                    Decimal(str(item["price"])) * wanted["quantity"]
                    for wanted in body["items"]
                    for item in order["items"]
                    if item["sku"] == wanted["sku"]
                )
                return 200, {"quote": {"refund": {"amount": str(value + 5)}, "ship_by": "2025-04-02"}}
            if action == ("POST", "returns"):
                order["state"] = "return_open"
                created = {"rma_number": body["rma_number"], "created_at": "2025-03-12T12:00:05Z"}
                return 201, {"return": {**created, "label": {"url": f"https://shop.example/labels/{number}.pdf"}}}
            if action == ("GET", "refund"):
                return 200, {"refund": SHOP_REFUNDS.get(number)}
        if parts[0] == "customers":
            if len(parts) == 1:
                email = query.get("email", [""])[0].lower()
                return 200, {"customers": [c for c in SHOP_CUSTOMERS.values() if c["email"].lower() == email]}
            customer = SHOP_CUSTOMERS.get(parts[1])
            if customer is None:
                return 404, {"error": {"code": "NOT_FOUND"}}
            if len(parts) == 3 and parts[2] == "orders":
                mine = [o for o in self.orders.values() if o["customer"]["id"] == parts[1]]
                return 200, {"orders": mine[: int(query.get("limit", ["50"])[0])]}
            return 200, {"customer": customer}
        return 404, {"error": {"code": "NO_ROUTE"}}


def serve(shop: FakeShop) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            url = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length)) if length else None
            shop.requests.append(
                {
                    "method": self.command,
                    "path": url.path,
                    "query": url.query,
                    "headers": dict(self.headers),
                    "body": body,
                }
            )
            if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                status, payload = 401, {"error": {"code": "UNAUTHORIZED"}}
            else:
                status, payload = shop.answer(self.command, url.path, parse_qs(url.query), body)
            data = json.dumps(payload).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
                pass

        do_GET = do_POST = do_PUT = _handle

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.block_on_close = False
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    return server


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def fake_shop() -> Iterator[tuple[FakeShop, str]]:
    shop = FakeShop()
    server = serve(shop)
    try:
        yield shop, f"http://127.0.0.1:{server.server_address[1]}/api/v2"
    finally:
        server.shutdown()
        server.server_close()


def write_config(tmp_path: Path, base_url: str, **http_changes: Any) -> Path:
    """The repo's config/orders.yml, switched to http and pointed at the fake shop."""
    config = yaml.safe_load((PROJECT_ROOT / "config" / "orders.yml").read_text(encoding="utf-8"))
    config["backend"] = "http"
    config["http"].update({"base_url": base_url, "timeout_seconds": 0.5, **http_changes})
    path = tmp_path / "orders.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
async def shop_api(
    fake_shop: tuple[FakeShop, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[HttpOrderSystem]:
    monkeypatch.setenv("SHOP_API_TOKEN", TOKEN)
    system = order_system_from_config(write_config(tmp_path, fake_shop[1]), clock=lambda: NOW)
    assert isinstance(system, HttpOrderSystem)
    yield system
    await system.aclose()


# -- reading --------------------------------------------------------------------------------------


async def test_get_order_maps_the_shops_fields(shop_api: HttpOrderSystem, fake_shop: tuple[FakeShop, str]) -> None:
    order = await shop_api.get_order("100234")
    assert order.number == "100234"
    assert (order.customer_id, order.email) == ("cus_7731", "ann.lee@example.com")
    assert order.status is OrderStatus.SHIPPED
    assert order.placed_at == datetime(2025, 3, 9, 7, 30, tzinfo=UTC)
    assert order.shipped_at == datetime(2025, 3, 10, 14, 2, tzinfo=UTC)  # +01:00 converted to UTC
    assert order.delivered_at is None
    assert (order.carrier, order.tracking_number) == ("DHL", "JVGL0625347802113450")
    assert order.expected_delivery == date(2025, 3, 13)
    assert order.tracking_url == "https://www.dhl.com/track?id=JVGL0625347802113450"
    assert order.shipping_address == Address("Ann Lee", "Lange Voorhout 18", "Den Haag", "2511 AB", "NL")
    assert [(ln.sku, ln.name, ln.quantity, ln.unit_price, ln.final_sale) for ln in order.lines] == [
        ("LH-TXT-0412", "Chunky knit throw, oat", 1, Decimal("89.00"), False),
        ("LH-CAN-0501", "Fig & cedar scented candle", 2, Decimal("28.00"), False),
        ("LH-CLR-0901", "Stoneware vase", 1, Decimal("24.00"), True),
    ]
    zh_names = ["Chunky knit throw, oat", "无花果雪松香薰蜡烛", "Stoneware vase"]  # Chinese where the shop has it
    assert [ln.name_in("zh") for ln in order.lines] == zh_names
    assert (order.total, order.currency) == (Decimal("169.00"), "EUR")
    delivered = await shop_api.get_order("100303")
    assert delivered.status is OrderStatus.DELIVERED
    assert delivered.delivered_at == datetime(2025, 3, 9, 13, 0, tzinfo=UTC)
    assert (await shop_api.get_order("100302")).placed_at == datetime(2025, 3, 8, 10, 0, tzinfo=UTC)
    request = fake_shop[0].requests[0]
    assert (request["method"], request["path"]) == ("GET", "/api/v2/orders/100234")


async def test_auth_header_comes_from_the_environment(
    shop_api: HttpOrderSystem, fake_shop: tuple[FakeShop, str]
) -> None:
    await shop_api.get_order("100234")
    assert fake_shop[0].requests[-1]["headers"]["Authorization"] == f"Bearer {TOKEN}"
    assert TOKEN not in (PROJECT_ROOT / "config" / "orders.yml").read_text(encoding="utf-8")


async def test_list_orders_newest_first(shop_api: HttpOrderSystem, fake_shop: tuple[FakeShop, str]) -> None:
    orders = await shop_api.list_orders("cus_7731", limit=3)
    assert [o.number for o in orders] == ["100301", "100234", "100302"]  # the shop sent them unsorted
    assert fake_shop[0].requests[-1]["query"] == "limit=3"
    with pytest.raises(CustomerNotFound):
        await shop_api.list_orders("cus_0")


async def test_customers(shop_api: HttpOrderSystem, fake_shop: tuple[FakeShop, str]) -> None:
    ann = await shop_api.find_customer("ANN.LEE@example.com")
    assert ann is not None
    assert (ann.id, ann.email, ann.name, ann.postcode, ann.tier) == (
        "cus_7731",
        "Ann.Lee@example.com",
        "Ann Lee",
        "2511 AB",
        Tier.STANDARD,
    )
    assert fake_shop[0].requests[-1]["query"] == "email=ANN.LEE%40example.com"
    assert await shop_api.find_customer("nobody@example.com") is None
    marco = await shop_api.get_customer("cus_8000")
    assert (marco.name, marco.tier) == ("Marco Rossi", Tier.VIP)
    with pytest.raises(CustomerNotFound, match="cus_0"):
        await shop_api.get_customer("cus_0")


async def test_refund_status_mapping(shop_api: HttpOrderSystem) -> None:
    pending = await shop_api.refund_status("100305")
    assert (pending.state, pending.amount, pending.currency, pending.expected_by) == (
        RefundState.PROCESSING,
        Decimal("118.90"),
        "EUR",
        date(2025, 3, 21),
    )
    paid = await shop_api.refund_status("100303")
    assert (paid.state, paid.amount, paid.refunded_on) == (RefundState.REFUNDED, Decimal("56.00"), date(2025, 3, 11))
    none = await shop_api.refund_status("100234")
    assert (none.state, none.amount) == (RefundState.NONE, Decimal("0.00"))
    with pytest.raises(OrderNotFound):
        await shop_api.refund_status("100999")


# -- changing -------------------------------------------------------------------------------------


async def test_cancel(shop_api: HttpOrderSystem, fake_shop: tuple[FakeShop, str]) -> None:
    cancelled = await shop_api.cancel("100302")
    assert cancelled.status is OrderStatus.CANCELLED
    assert [(r["method"], r["path"]) for r in fake_shop[0].requests] == [
        ("GET", "/api/v2/orders/100302"),  # the policy check
        ("POST", "/api/v2/orders/100302/cancel"),
    ]


async def test_local_policy_refuses_before_asking_the_shop(
    shop_api: HttpOrderSystem, fake_shop: tuple[FakeShop, str]
) -> None:
    with pytest.raises(PolicyRefusal) as caught:
        await shop_api.cancel("100234")
    assert caught.value.reason_code == "already_shipped"
    assert caught.value.message_for_customer == "Order 100234 has already shipped, so it can no longer be cancelled."
    assert caught.value.alternative == (
        "You can refuse the parcel on delivery or return it within 30 days of delivery for a refund."
    )
    assert [r["method"] for r in fake_shop[0].requests] == ["GET"]


async def test_shop_refusal_becomes_a_policy_refusal(shop_api: HttpOrderSystem) -> None:
    with pytest.raises(PolicyRefusal) as caught:
        await shop_api.cancel("100301")
    assert caught.value.reason_code == "already_packed"
    assert caught.value.message_for_customer == "Order 100301 is already packed, so it can no longer be cancelled."
    with pytest.raises(PolicyRefusal) as unknown:
        await shop_api.cancel("100307")
    assert unknown.value.reason_code == "shop_refused"
    assert unknown.value.message_for_customer == "Our shop system wouldn't let me cancel order 100307."
    with pytest.raises(BackendError, match="answered 422 without a reason code"):
        await shop_api.cancel("100306")


async def test_change_address_sends_the_shops_shape(shop_api: HttpOrderSystem, fake_shop: tuple[FakeShop, str]) -> None:
    changed = await shop_api.change_address("100302", Address("Ann Lee", "Noordeinde 64", "Den Haag", "2514 GL", "NL"))
    assert changed.postcode == "2514 GL"
    sent = fake_shop[0].requests[-1]
    assert (sent["method"], sent["path"]) == ("PUT", "/api/v2/orders/100302/shipping-address")
    assert sent["body"] == {
        "shipping": {
            "recipient": "Ann Lee",
            "line1": "Noordeinde 64",
            "city": "Den Haag",
            "zip": "2514 GL",
            "country_code": "NL",
        }
    }
    with pytest.raises(PolicyRefusal, match="already_shipped"):
        await shop_api.change_address("100234", Address("Ann Lee", "Noordeinde 64", "Den Haag", "2514 GL", "NL"))


async def test_create_return(shop_api: HttpOrderSystem, fake_shop: tuple[FakeShop, str]) -> None:
    with pytest.raises(PolicyRefusal, match="final_sale"):
        await shop_api.create_return("100303", ["LH-CLR-0901"])
    booked = await shop_api.create_return("100303")
    sent = fake_shop[0].requests[-1]
    assert (sent["method"], sent["path"]) == ("POST", "/api/v2/orders/100303/returns")
    assert sent["body"]["items"] == [  # the final-sale vase stays out
        {"sku": "LH-TXT-0412", "quantity": 1},
        {"sku": "LH-CAN-0501", "quantity": 2},
    ]
    assert booked.rma == sent["body"]["rma_number"]
    assert booked.rma.startswith("RMA-100303-") and len(booked.rma) == 15
    assert booked.label_url == "https://shop.example/labels/100303.pdf"
    assert booked.created_at == datetime(2025, 3, 12, 12, 0, 5, tzinfo=UTC)
    assert booked.refund_amount == Decimal("145.00")
    assert f"Your return for order 100303 is booked: {booked.rma}" in booked.instructions


async def test_a_damaged_return_takes_the_final_sale_vase_and_tells_the_shop_why(
    fake_shop: tuple[FakeShop, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHOP_API_TOKEN", TOKEN)
    fields = example_http_config()["request_fields"]
    fields["create_return"]["reason"] = "reason"
    system = order_system_from_config(write_config(tmp_path, fake_shop[1], request_fields=fields), clock=lambda: NOW)
    try:
        booked = await system.create_return("100303", ["LH-CLR-0901"], ReturnReason.DAMAGED)
        sent = fake_shop[0].requests[-1]["body"]
        assert (sent["items"], sent["reason"]) == ([{"sku": "LH-CLR-0901", "quantity": 1}], "damaged")
        assert [line.sku for line in booked.lines] == ["LH-CLR-0901"] and booked.label_fee == Decimal("0.00")
    finally:
        await system.aclose()


async def test_a_return_of_some_pieces_is_quoted_by_the_shop_then_booked(
    shop_api: HttpOrderSystem, fake_shop: tuple[FakeShop, str]
) -> None:
    quote = await shop_api.quote_return("100303", {"LH-CAN-0501": 1})
    asked = fake_shop[0].requests[-1]
    assert (asked["method"], asked["path"]) == ("POST", "/api/v2/orders/100303/returns/quote")
    assert asked["body"] == {"items": [{"sku": "LH-CAN-0501", "quantity": 1}]}
    assert [(line.sku, line.quantity) for line in quote.lines] == [("LH-CAN-0501", 1)]
    assert (quote.refund_amount, quote.label_fee) == (Decimal("33.00"), Decimal("0.00"))  # the shop's price
    assert quote.ship_by == date(2025, 4, 2)
    assert (await shop_api.get_order("100303")).status is OrderStatus.DELIVERED  # nothing booked
    booked = await shop_api.create_return("100303", {"LH-CAN-0501": 1})
    assert fake_shop[0].requests[-1]["body"]["items"] == [{"sku": "LH-CAN-0501", "quantity": 1}]
    assert [(line.sku, line.quantity) for line in booked.lines] == [("LH-CAN-0501", 1)]


async def test_without_a_quote_endpoint_the_return_is_priced_by_the_policies(
    fake_shop: tuple[FakeShop, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHOP_API_TOKEN", TOKEN)
    endpoints = example_http_config()["endpoints"]
    del endpoints["quote_return"]
    system = order_system_from_config(write_config(tmp_path, fake_shop[1], endpoints=endpoints), clock=lambda: NOW)
    try:
        quote = await system.quote_return("100303", {"LH-CAN-0501": 1})
        assert (quote.refund_amount, quote.label_fee) == (Decimal("28.00"), Decimal("0.00"))
        assert quote.ship_by == date(2025, 3, 26)  # booked today, sent within 14 days
        assert [r["method"] for r in fake_shop[0].requests] == ["GET"]  # the order, nothing else
        with pytest.raises(PolicyRefusal, match="too_many_pieces"):
            await system.quote_return("100303", {"LH-CAN-0501": 3})
    finally:
        await system.aclose()


async def test_a_cancellation_is_quoted_from_the_order(shop_api: HttpOrderSystem) -> None:
    paid = await shop_api.quote_cancellation("100302")
    assert (paid.total, paid.refund_amount, paid.refund_by) == (Decimal("169.00"), Decimal("169.00"), date(2025, 3, 26))
    assert [line.sku for line in paid.lines] == ["LH-TXT-0412", "LH-CAN-0501", "LH-CLR-0901"]
    with pytest.raises(PolicyRefusal, match="already_shipped"):
        await shop_api.quote_cancellation("100234")


# -- failures -------------------------------------------------------------------------------------


async def test_not_found(shop_api: HttpOrderSystem, fake_shop: tuple[FakeShop, str]) -> None:
    with pytest.raises(OrderNotFound, match="100999"):
        await shop_api.get_order("100999")
    with pytest.raises(OrderNotFound):
        await shop_api.get_order("not-a-number")
    assert len(fake_shop[0].requests) == 1  # a malformed number isn't even sent


async def test_server_error_is_a_backend_error_without_secrets_in_the_log(
    shop_api: HttpOrderSystem, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="helpdesk.orders.http")
    with pytest.raises(BackendError, match=r"GET /orders/\{number\} answered 500") as caught:
        await shop_api.get_order("100500")
    assert caught.value.handoff_reason == "backend_error"
    assert "shop API GET /orders/{number} failed: answered 500" in caplog.text
    assert TOKEN not in caplog.text


async def test_slow_shop_times_out(shop_api: HttpOrderSystem) -> None:
    started = time.monotonic()
    with pytest.raises(BackendError, match=r"timed out after 0\.5 s"):
        await shop_api.get_order("100777")
    assert time.monotonic() - started < SLOW_SECONDS - 0.3


async def test_unreachable_shop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    port = server.server_address[1]
    server.server_close()  # nothing listens there now
    monkeypatch.setenv("SHOP_API_TOKEN", TOKEN)
    system = order_system_from_config(write_config(tmp_path, f"http://127.0.0.1:{port}"))
    try:
        with pytest.raises(BackendError, match=r"could not be reached \(ConnectError\)"):
            await system.get_order("100234")
    finally:
        await system.aclose()


async def test_wrong_api_key(fake_shop: tuple[FakeShop, str], tmp_path: Path) -> None:
    system = order_system_from_config(write_config(tmp_path, fake_shop[1]), environ={"SHOP_API_TOKEN": "wrong"})
    try:
        with pytest.raises(BackendError, match=r"answered 401: the API key in \$SHOP_API_TOKEN"):
            await system.get_order("100234")
    finally:
        await system.aclose()


def test_missing_api_key_fails_at_start(tmp_path: Path) -> None:
    with pytest.raises(HttpConfigError, match="environment variable SHOP_API_TOKEN is not set"):
        order_system_from_config(write_config(tmp_path, "http://127.0.0.1:9"), environ={})


async def test_unknown_shop_status_is_a_backend_error(shop_api: HttpOrderSystem) -> None:
    with pytest.raises(BackendError, match="'on_hold', which has no meaning here"):
        await shop_api.get_order("100304")


async def test_policies_can_be_left_to_the_shop(
    fake_shop: tuple[FakeShop, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHOP_API_TOKEN", TOKEN)
    system = order_system_from_config(write_config(tmp_path, fake_shop[1], apply_policies=False))
    try:
        cancelled = await system.cancel("100234")  # in transit, but this shop allows it
        assert cancelled.status is OrderStatus.CANCELLED
        assert [r["method"] for r in fake_shop[0].requests] == ["POST"]
    finally:
        await system.aclose()


# -- configuration and mapping helpers ------------------------------------------------------------


def example_http_config() -> dict[str, Any]:
    return copy.deepcopy(yaml.safe_load((PROJECT_ROOT / "config" / "orders.yml").read_text(encoding="utf-8"))["http"])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda c: c.update(base_url="shop.example.com"), "base_url must be an http(s) URL"),
        (
            lambda c: c["endpoints"].update(get_order={"request": "GET /orders/{order_id}", "result": "order"}),
            "unknown placeholder(s) order_id (allowed: {number})",
        ),
        (lambda c: c["endpoints"].update(cancel="FETCH /x"), "cancel.request must look like 'GET /orders/{number}'"),
        (lambda c: c["endpoints"].pop("refund_status"), "missing endpoint(s) refund_status"),
        (lambda c: c["fields"]["order"].pop("status"), "fields.order: map the required field(s) status"),
        (lambda c: c["values"]["status"].update(on_hold="paused"), "values.status: paused not allowed"),
        (lambda c: c["auth"].pop("value_env"), "auth needs both header and value_env"),
        (lambda c: c.update(timeout_seconds=0), "timeout_seconds must be a number of seconds between 0 and 120"),
        (lambda c: c.update(api_key="x"), "unknown key(s) api_key"),
    ],
)
def test_http_configuration_errors(change: Any, message: str) -> None:
    raw = example_http_config()
    change(raw)
    with pytest.raises(HttpConfigError) as caught:
        HttpConfig.from_mapping(raw)
    assert message in str(caught.value)


def test_mapping_helpers() -> None:
    data = {"a": {"b": [{"c": 1}, {"c": 2}]}, "cents": 1995, "first": "Ann", "last": "Lee"}
    assert get_path(data, "a.b.1.c") == 2
    assert get_path(data, "a.x.c") is None
    assert get_path(data, "") is data
    body: dict[str, Any] = {}
    set_path(body, "shipping.zip", "2511 AB")
    assert body == {"shipping": {"zip": "2511 AB"}}
    fields = FieldMap("order", {"total": "cents", "name": ["first", "last"]})
    assert fields.money(data, "total", minor_units=True) == Decimal("19.95")
    assert fields.text(data, "name") == "Ann Lee"


async def test_a_shop_api_without_replacements_keeps_working_and_refuses_one_with_a_person_offered(
    shop_api: HttpOrderSystem, fake_shop: tuple[FakeShop, str]
) -> None:
    """Replacements are an optional operation with a default: a shop's API that has none books nothing and asks its
    shop nothing; the bot then refunds damaged or wrong goods and a person arranges a replacement."""
    asked = len(fake_shop[0].requests)
    assert shop_api.offers_replacements is False
    with pytest.raises(PolicyRefusal) as refused:
        await shop_api.create_replacement("100303", None, ReturnReason.WRONG_ITEM)
    assert refused.value.reason_code == "replacement_not_offered"
    assert refused.value.text == (
        "I can't book a replacement for order 100303 here in the chat. A member of our support team can look into it "
        "with you; just ask me to connect you."
    )
    assert await shop_api.list_replacements("100303") == []
    quoted = await refusal_of_quote(shop_api)
    assert quoted.reason_code == "replacement_not_offered"
    assert len(fake_shop[0].requests) == asked


async def refusal_of_quote(shop_api: HttpOrderSystem) -> PolicyRefusal:
    with pytest.raises(PolicyRefusal) as refused:
        await shop_api.quote_replacement("100303", None, ReturnReason.DAMAGED)
    return refused.value
