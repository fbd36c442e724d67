"""An order system on a shop's own REST API, described in ``config/orders.yml`` (section ``http``).

What goes wrong, and what the caller sees:

- timeout, connection error, 5xx, 401/403, other 4xx, JSON that doesn't fit the mapping
  → ``BackendError`` (and one log line naming the endpoint, never the API key or the URL's values)
- 404 → ``OrderNotFound`` / ``CustomerNotFound`` (``find_customer`` → None)
- 409/422 with a reason code at ``refusals.code`` → ``PolicyRefusal``, the shop's code translated
  by ``refusals.codes`` to ours (unknown codes become ``shop_refused``)

With ``apply_policies: true`` the shop's rules from ``policies`` are checked here first, so
the customer gets the same explanation as on the demo shop and the shop is not even asked.
"""

from __future__ import annotations

import logging
import os
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar
from urllib.parse import quote

import httpx

from helpdesk.orders.mapping import FieldMap, MappingError, get_path, set_path, translate
from helpdesk.orders.model import (
    Address,
    CancellationQuote,
    Customer,
    Order,
    OrderLine,
    OrderStatus,
    RefundState,
    RefundStatus,
    ReturnItems,
    ReturnQuote,
    ReturnReason,
    ReturnRequest,
    Tier,
    normalise_order_number,
    utc_now,
)
from helpdesk.orders.policy import CHARGED_STATUSES, SHOP_REFUSED, Action, OrderPolicy, new_rma
from helpdesk.orders.system import (
    DEFAULT_LIST_LIMIT,
    BackendError,
    CustomerNotFound,
    OrderNotFound,
    OrderSystem,
    check_limit,
)

log = logging.getLogger("helpdesk.orders.http")
T = TypeVar("T")

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
ENDPOINT_PLACEHOLDERS = {
    "get_order": {"number"},
    "list_orders": {"customer_id", "limit"},
    "find_customer": {"email"},
    "get_customer": {"customer_id"},
    "cancel": {"number"},
    "change_address": {"number"},
    "create_return": {"number"},
    "refund_status": {"number"},
    "quote_return": {"number"},
}
# endpoints a shop may leave out: without quote_return, a return is quoted here from the order and the policies
OPTIONAL_ENDPOINTS = frozenset({"quote_return"})
FIELDS: dict[str, tuple[set[str], set[str]]] = {  # entity: (required, optional)
    "order": (
        {"number", "customer_id", "email", "status", "placed_at", "lines", "total",
         "shipping_address.postcode", "shipping_address.country"},
        {"currency", "shipped_at", "delivered_at", "carrier", "tracking_number", "tracking_url",
         "expected_delivery", "shipping_address.name", "shipping_address.street", "shipping_address.city"},
    ),
    "line": ({"sku", "quantity", "unit_price"}, {"name", "name_zh", "final_sale"}),
    "customer": ({"id", "email"}, {"name", "postcode", "tier"}),
    "return": (set(), {"rma", "created_at", "label_url", "instructions"}),
    "return_quote": (set(), {"refund_amount", "label_fee", "ship_by"}),
    "refund": ({"state"}, {"amount", "currency", "expected_by", "refunded_on"}),
}  # fmt: skip
REQUEST_FIELDS = {
    "change_address": {"name", "street", "city", "postcode", "country"},
    "create_return": {"skus", "items", "rma", "reason"},  # reason: unwanted | damaged | wrong_item
    "quote_return": {"skus", "items", "reason"},
}
VALUE_TABLES = {
    "status": {s.value for s in OrderStatus},
    "tier": {t.value for t in Tier},
    "refund_state": {s.value for s in RefundState},
}


class HttpConfigError(ValueError):
    """The ``http`` section of the orders configuration is invalid; the message names the key."""


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str
    result: str  # dotted path of the useful part of the answer; "" = all of it

    def url(self, values: Mapping[str, Any]) -> str:
        return self.path.format(**{k: quote(str(v), safe="") for k, v in values.items()})

    @property
    def label(self) -> str:
        """For logs: the template, not the values (no e-mail addresses in logs)."""
        return f"{self.method} {self.path}"


@dataclass(frozen=True)
class HttpConfig:
    base_url: str
    auth_header: str | None
    auth_env: str | None
    auth_prefix: str
    timeout: float
    endpoints: dict[str, Endpoint]
    fields: dict[str, FieldMap]
    request_fields: dict[str, dict[str, str]]
    values: dict[str, dict[str, str]]
    refusal_code_path: str | None
    refusal_message_path: str | None
    refusal_codes: dict[str, str]
    apply_policies: bool = True
    money_in_minor_units: bool = False
    verify_tls: bool = True

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any], where: str = "http") -> HttpConfig:
        known = {
            "base_url", "auth", "timeout_seconds", "endpoints", "fields", "request_fields", "values",
            "refusals", "apply_policies", "money_in_minor_units", "verify_tls",
        }  # fmt: skip
        _unknown(raw, known, where)
        base_url = str(raw.get("base_url") or "")
        if not base_url.startswith(("http://", "https://")):
            raise HttpConfigError(f"{where}.base_url must be an http(s) URL, got {base_url!r}")
        auth = raw.get("auth") or {}
        _unknown(auth, {"header", "value_env", "prefix"}, f"{where}.auth")
        if bool(auth.get("header")) != bool(auth.get("value_env")):
            raise HttpConfigError(f"{where}.auth needs both header and value_env (the NAME of an environment variable)")
        timeout = raw.get("timeout_seconds", 5)
        if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not 0 < timeout <= 120:
            raise HttpConfigError(
                f"{where}.timeout_seconds must be a number of seconds between 0 and 120, got {timeout!r}"
            )
        return cls(
            base_url=base_url.rstrip("/"),
            auth_header=auth.get("header"),
            auth_env=auth.get("value_env"),
            auth_prefix=str(auth.get("prefix") or ""),
            timeout=float(timeout),
            endpoints=_endpoints(raw.get("endpoints"), f"{where}.endpoints"),
            fields=_fields(raw.get("fields"), f"{where}.fields"),
            request_fields=_request_fields(raw.get("request_fields") or {}, f"{where}.request_fields"),
            values=_values(raw.get("values") or {}, f"{where}.values"),
            refusal_code_path=(raw.get("refusals") or {}).get("code"),
            refusal_message_path=(raw.get("refusals") or {}).get("message"),
            refusal_codes={str(k): str(v) for k, v in ((raw.get("refusals") or {}).get("codes") or {}).items()},
            apply_policies=bool(raw.get("apply_policies", True)),
            money_in_minor_units=bool(raw.get("money_in_minor_units", False)),
            verify_tls=bool(raw.get("verify_tls", True)),
        )


def _unknown(raw: Any, known: set[str], where: str) -> None:
    if not isinstance(raw, Mapping):
        raise HttpConfigError(f"{where} must be a mapping")
    extra = sorted(set(raw) - known)
    if extra:
        raise HttpConfigError(f"{where}: unknown key(s) {', '.join(extra)} (known: {', '.join(sorted(known))})")


def _endpoints(raw: Any, where: str) -> dict[str, Endpoint]:
    _unknown(raw, set(ENDPOINT_PLACEHOLDERS), where)
    missing = sorted(set(ENDPOINT_PLACEHOLDERS) - OPTIONAL_ENDPOINTS - set(raw))
    if missing:
        raise HttpConfigError(f"{where}: missing endpoint(s) {', '.join(missing)}")
    endpoints = {}
    for name, spec in raw.items():
        if isinstance(spec, str):
            spec = {"request": spec}
        _unknown(spec, {"request", "result"}, f"{where}.{name}")
        method, _, path = str(spec.get("request") or "").strip().partition(" ")
        path = path.strip()
        if method.upper() not in METHODS or not path.startswith("/"):
            raise HttpConfigError(
                f"{where}.{name}.request must look like 'GET /orders/{{number}}', got {spec.get('request')!r}"
            )
        try:
            placeholders = {f for _, f, _, _ in string.Formatter().parse(path) if f is not None}
        except ValueError as exc:
            raise HttpConfigError(f"{where}.{name}.request: {exc}") from exc
        wrong = sorted(placeholders - ENDPOINT_PLACEHOLDERS[name])
        if wrong:
            allowed = ", ".join("{" + p + "}" for p in sorted(ENDPOINT_PLACEHOLDERS[name]))
            raise HttpConfigError(
                f"{where}.{name}.request: unknown placeholder(s) {', '.join(wrong)} (allowed: {allowed})"
            )
        endpoints[name] = Endpoint(name, method.upper(), path, str(spec.get("result") or ""))
    return endpoints


def _fields(raw: Any, where: str) -> dict[str, FieldMap]:
    _unknown(raw, set(FIELDS), where)
    maps = {}
    for entity, (required, optional) in FIELDS.items():
        paths = raw.get(entity) or {}
        _unknown(paths, required | optional, f"{where}.{entity}")
        missing = sorted(required - set(paths))
        if missing:
            raise HttpConfigError(f"{where}.{entity}: map the required field(s) {', '.join(missing)}")
        for ours, theirs in paths.items():
            ok = isinstance(theirs, str) or (isinstance(theirs, list) and all(isinstance(p, str) for p in theirs))
            if not ok or not theirs:
                raise HttpConfigError(f"{where}.{entity}.{ours} must be a dotted path or a list of them")
        maps[entity] = FieldMap(entity, paths)
    return maps


def _request_fields(raw: Any, where: str) -> dict[str, dict[str, str]]:
    _unknown(raw, set(REQUEST_FIELDS), where)
    result = {}
    for name, allowed in REQUEST_FIELDS.items():
        paths = raw.get(name) or {}
        _unknown(paths, allowed, f"{where}.{name}")
        result[name] = {str(k): str(v) for k, v in paths.items()}
    return result


def _values(raw: Any, where: str) -> dict[str, dict[str, str]]:
    _unknown(raw, set(VALUE_TABLES), where)
    tables = {}
    for name, allowed in VALUE_TABLES.items():
        table = {str(k): str(v) for k, v in (raw.get(name) or {}).items()}
        wrong = sorted({v for v in table.values() if v not in allowed})
        if wrong:
            raise HttpConfigError(f"{where}.{name}: {', '.join(wrong)} not allowed (use: {', '.join(sorted(allowed))})")
        tables[name] = table
    return tables


class _NotFound(Exception):
    pass


class _Refused(Exception):
    def __init__(self, code: str | None) -> None:
        super().__init__(code)
        self.code = code


class HttpOrderSystem(OrderSystem):
    def __init__(
        self,
        config: HttpConfig,
        policy: OrderPolicy | None = None,
        *,
        environ: Mapping[str, str] | None = None,
        clock: Callable[[], datetime] = utc_now,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.config = config
        self._policy = policy or OrderPolicy()
        self._clock = clock
        headers = {"Accept": "application/json", "User-Agent": "larkspur-helpdesk/1 (+order-adapter)"}
        if config.auth_header and config.auth_env:
            secret = (os.environ if environ is None else environ).get(config.auth_env)
            if not secret:
                raise HttpConfigError(
                    f"environment variable {config.auth_env} is not set; it must hold the value of the "
                    f"{config.auth_header} header for {config.base_url} (http.auth.value_env in the orders "
                    "configuration)"
                )
            headers[config.auth_header] = config.auth_prefix + secret
        self._client = httpx.AsyncClient(
            base_url=config.base_url,
            headers=headers,
            timeout=config.timeout,
            transport=transport,
            verify=config.verify_tls,
            follow_redirects=False,
        )

    @property
    def policy(self) -> OrderPolicy:
        return self._policy

    async def aclose(self) -> None:
        await self._client.aclose()

    # -- transport -----------------------------------------------------------------------------

    def _backend_error(self, endpoint: Endpoint, problem: str) -> BackendError:
        log.warning("shop API %s failed: %s", endpoint.label, problem)
        return BackendError(f"shop API {endpoint.label} {problem}")

    async def _call(self, name: str, values: Mapping[str, Any], body: Any = None) -> Any:
        endpoint = self.config.endpoints[name]
        try:
            response = await self._client.request(endpoint.method, endpoint.url(values), json=body)
        except httpx.TimeoutException as exc:
            raise self._backend_error(endpoint, f"timed out after {self.config.timeout:g} s") from exc
        except httpx.HTTPError as exc:
            raise self._backend_error(endpoint, f"could not be reached ({exc.__class__.__name__})") from exc
        status = response.status_code
        if status == 404:
            raise _NotFound()
        if status in (409, 422):
            code = self._refusal_code(response)
            if code is not None:
                raise _Refused(code)
            raise self._backend_error(endpoint, f"answered {status} without a reason code")
        if status in (401, 403):
            raise self._backend_error(
                endpoint, f"answered {status}: the API key in ${self.config.auth_env} is missing, wrong or not allowed"
            )
        if status >= 300:
            raise self._backend_error(endpoint, f"answered {status}")
        if status == 204 or not response.content:
            return None
        try:
            document = response.json()
        except ValueError as exc:
            raise self._backend_error(endpoint, "answered with something that is not JSON") from exc
        return get_path(document, endpoint.result)

    def _refusal_code(self, response: httpx.Response) -> str | None:
        if not self.config.refusal_code_path:
            return None
        try:
            document = response.json()
        except ValueError:
            return None
        code = get_path(document, self.config.refusal_code_path)
        if code in (None, ""):
            return None
        if self.config.refusal_message_path:
            message = get_path(document, self.config.refusal_message_path)
            log.info("shop refused (%s): %s", code, str(message)[:300] if message else "")
        return str(code)

    def _map(self, name: str, convert: Callable[[Any], T], data: Any) -> T:
        try:
            return convert(data)
        except (MappingError, ValueError) as exc:
            raise self._backend_error(self.config.endpoints[name], f"answered data that doesn't fit: {exc}") from exc

    # -- mapping -------------------------------------------------------------------------------

    def _order(self, data: Any) -> Order:
        f = self.config.fields["order"]
        line_map = self.config.fields["line"]
        minor = self.config.money_in_minor_units
        raw_lines = f.raw(data, "lines")
        if not isinstance(raw_lines, list):
            raise MappingError(f"order.lines (shop field {f.paths['lines']!r}) should be a list")
        lines = tuple(
            OrderLine(
                sku=line_map.text(item, "sku", required=True) or "",
                name=line_map.text(item, "name") or line_map.text(item, "sku", required=True) or "",
                quantity=line_map.integer(item, "quantity", required=True) or 0,
                unit_price=line_map.money(item, "unit_price", minor, required=True) or Decimal(0),
                final_sale=line_map.flag(item, "final_sale"),
                name_zh=line_map.text(item, "name_zh") or "",
            )
            for item in raw_lines
        )
        number = normalise_order_number(f.text(data, "number", required=True))
        if number is None:
            raise MappingError(f"order.number {f.raw(data, 'number')!r} is not a 6-digit order number")
        status = translate(
            f.text(data, "status", required=True) or "", self.config.values["status"], VALUE_TABLES["status"], "status"
        )
        return Order(
            number=number,
            customer_id=f.text(data, "customer_id", required=True) or "",
            email=f.text(data, "email", required=True) or "",
            status=OrderStatus(status),
            placed_at=f.timestamp(data, "placed_at", required=True),  # type: ignore[arg-type]
            shipped_at=f.timestamp(data, "shipped_at"),
            delivered_at=f.timestamp(data, "delivered_at"),
            carrier=f.text(data, "carrier"),
            tracking_number=f.text(data, "tracking_number"),
            tracking_url=f.text(data, "tracking_url"),
            expected_delivery=f.day(data, "expected_delivery"),
            shipping_address=Address(
                name=f.text(data, "shipping_address.name", default="") or "",
                street=f.text(data, "shipping_address.street", default="") or "",
                city=f.text(data, "shipping_address.city", default="") or "",
                postcode=f.text(data, "shipping_address.postcode", required=True) or "",
                country=f.text(data, "shipping_address.country", required=True) or "",
            ),
            lines=lines,
            total=f.money(data, "total", minor, required=True) or Decimal(0),
            currency=f.text(data, "currency") or self._policy.config.currency,
        )

    def _customer(self, data: Any) -> Customer:
        f = self.config.fields["customer"]
        tier = f.text(data, "tier")
        return Customer(
            id=f.text(data, "id", required=True) or "",
            email=f.text(data, "email", required=True) or "",
            name=f.text(data, "name") or "",
            postcode=f.text(data, "postcode") or "",
            tier=Tier(
                translate(tier, self.config.values["tier"], VALUE_TABLES["tier"], "tier") if tier else "standard"
            ),
        )

    def _refund(self, number: str, data: Any) -> RefundStatus:
        f = self.config.fields["refund"]
        state = translate(
            f.text(data, "state", required=True) or "",
            self.config.values["refund_state"],
            VALUE_TABLES["refund_state"],
            "refund state",
        )
        return RefundStatus(
            order_number=number,
            state=RefundState(state),
            amount=f.money(data, "amount", self.config.money_in_minor_units) or Decimal(0),
            currency=f.text(data, "currency") or self._policy.config.currency,
            expected_by=f.day(data, "expected_by"),
            refunded_on=f.day(data, "refunded_on"),
        )

    # -- the interface -------------------------------------------------------------------------

    async def get_order(self, number: str) -> Order:
        normalised = normalise_order_number(number)
        if normalised is None:
            raise OrderNotFound(str(number))
        try:
            data = await self._call("get_order", {"number": normalised})
        except _NotFound:
            raise OrderNotFound(normalised) from None
        if data is None:
            raise OrderNotFound(normalised)
        return self._map("get_order", self._order, data)

    async def list_orders(self, customer_id: str, limit: int = DEFAULT_LIST_LIMIT) -> list[Order]:
        limit = check_limit(limit)
        try:
            data = await self._call("list_orders", {"customer_id": customer_id, "limit": limit})
        except _NotFound:
            raise CustomerNotFound(customer_id) from None
        if data is None:
            return []
        if not isinstance(data, list):
            raise self._backend_error(self.config.endpoints["list_orders"], "answered something that is not a list")
        orders = [self._map("list_orders", self._order, item) for item in data]
        orders.sort(key=lambda o: (o.placed_at, o.number), reverse=True)
        return orders[:limit]

    async def find_customer(self, email: str) -> Customer | None:
        wanted = email.strip().lower()
        try:
            data = await self._call("find_customer", {"email": email.strip()})
        except _NotFound:
            return None
        candidates = data if isinstance(data, list) else [data] if data else []
        for item in candidates:
            customer = self._map("find_customer", self._customer, item)
            if customer.email.lower() == wanted:
                return customer
        return None

    async def get_customer(self, customer_id: str) -> Customer:
        try:
            data = await self._call("get_customer", {"customer_id": customer_id})
        except _NotFound:
            raise CustomerNotFound(customer_id) from None
        if data is None:
            raise CustomerNotFound(customer_id)
        return self._map("get_customer", self._customer, data)

    async def _change(self, action: Action, name: str, number: str, order: Order | None, body: Any = None) -> Any:
        """Call a changing endpoint; 404 and shop refusals become our exceptions."""
        try:
            return await self._call(name, {"number": number}, body)
        except _NotFound:
            raise OrderNotFound(number) from None
        except _Refused as refused:
            code = self.config.refusal_codes.get(refused.code or "", SHOP_REFUSED)
            raise self._policy.refusal(action, code, order or number, self._clock()) from None

    async def cancel(self, number: str) -> Order:
        order = await self.get_order(number) if self.config.apply_policies else None
        if order is not None:
            refusal = self._policy.cancel_refusal(order, self._clock())
            if refusal is not None:
                raise refusal
        normalised = order.number if order else self._checked_number(number)
        data = await self._change(Action.CANCEL, "cancel", normalised, order)
        return await self._updated_order("cancel", normalised, data)

    async def change_address(self, number: str, address: Address) -> Order:
        order = await self.get_order(number) if self.config.apply_policies else None
        if order is not None:
            refusal = self._policy.address_change_refusal(order, address, self._clock())
            if refusal is not None:
                raise refusal
        normalised = order.number if order else self._checked_number(number)
        paths = self.config.request_fields["change_address"] or {k: k for k in REQUEST_FIELDS["change_address"]}
        body: dict[str, Any] = {}
        for ours, theirs in paths.items():
            set_path(body, theirs, getattr(address, ours))
        data = await self._change(Action.CHANGE_ADDRESS, "change_address", normalised, order, body)
        return await self._updated_order("change_address", normalised, data)

    def _local_quote(self, order: Order, items: ReturnItems | None, reason: ReturnReason) -> ReturnQuote:
        """The return as the policies price it (or, without apply_policies, the lines' value and no label fee)."""
        now = self._clock()
        if self.config.apply_policies:
            return self._policy.plan_return(order, items, now, reason)
        wanted = dict(items) if isinstance(items, Mapping) else {sku: None for sku in items} if items else None
        chosen = []
        for line in order.lines:
            if wanted is None or line.sku in wanted:
                pieces = wanted.get(line.sku) if wanted else None
                chosen.append(line if pieces is None else line.with_quantity(int(pieces)))
        value = sum((line.line_total for line in chosen), Decimal("0.00"))
        ship_by = self._policy.ship_by(now)
        return ReturnQuote(order.number, tuple(chosen), (), Decimal("0.00"), value, order.currency, ship_by)

    def _return_body(
        self, name: str, quote: ReturnQuote, reason: ReturnReason, rma: str | None = None
    ) -> dict[str, Any]:
        defaults = {"skus": "skus", "rma": "rma"} if name == "create_return" else {"skus": "skus"}
        paths = self.config.request_fields[name] or defaults
        body: dict[str, Any] = {}
        if "skus" in paths:
            set_path(body, paths["skus"], [line.sku for line in quote.lines])
        if "items" in paths:
            set_path(body, paths["items"], [{"sku": line.sku, "quantity": line.quantity} for line in quote.lines])
        if "rma" in paths and rma is not None:
            set_path(body, paths["rma"], rma)
        if "reason" in paths:
            set_path(body, paths["reason"], reason.value)
        return body

    async def quote_return(
        self, number: str, items: ReturnItems | None = None, reason: ReturnReason = ReturnReason.UNWANTED
    ) -> ReturnQuote:
        order = await self.get_order(number)
        quote = self._local_quote(order, items, reason)
        if "quote_return" not in self.config.endpoints:
            return quote
        body = self._return_body("quote_return", quote, reason)
        data = await self._change(Action.RETURN, "quote_return", order.number, order, body)
        f = self.config.fields["return_quote"]

        def priced(data: Any) -> ReturnQuote:
            """The shop's own amounts and date, where it gives them."""
            if data is None:
                return quote
            minor = self.config.money_in_minor_units
            refund = f.money(data, "refund_amount", minor)
            fee = f.money(data, "label_fee", minor)
            return ReturnQuote(
                order_number=quote.order_number,
                lines=quote.lines,
                excluded_lines=quote.excluded_lines,
                label_fee=quote.label_fee if fee is None else fee,
                refund_amount=quote.refund_amount if refund is None else refund,
                currency=quote.currency,
                ship_by=f.day(data, "ship_by") or quote.ship_by,
            )

        return self._map("quote_return", priced, data)

    async def create_return(
        self, number: str, items: ReturnItems | None = None, reason: ReturnReason = ReturnReason.UNWANTED
    ) -> ReturnRequest:
        order = await self.get_order(number)
        now = self._clock()
        plan = self._local_quote(order, items, reason)
        rma = new_rma(order.number)
        body = self._return_body("create_return", plan, reason, rma)
        data = await self._change(Action.RETURN, "create_return", order.number, order, body)
        f = self.config.fields["return"]

        def build(data: Any) -> ReturnRequest:
            shop_rma = f.text(data, "rma") if data is not None else None
            final_rma = shop_rma or rma
            return ReturnRequest(
                rma=final_rma,
                order_number=order.number,
                lines=plan.lines,
                excluded_lines=plan.excluded_lines,
                created_at=(f.timestamp(data, "created_at") if data is not None else None) or now,
                instructions=(f.text(data, "instructions") if data is not None else None)
                or self._policy.return_instructions(order, plan, final_rma),
                refund_amount=plan.refund_amount,
                label_fee=plan.label_fee,
                currency=order.currency,
                label_url=f.text(data, "label_url") if data is not None else None,
            )

        return self._map("create_return", build, data)

    async def quote_cancellation(self, number: str) -> CancellationQuote:
        order = await self.get_order(number)
        if self.config.apply_policies:
            return self._policy.quote_cancellation(order, self._clock())
        charged = order.status in CHARGED_STATUSES
        return CancellationQuote(
            order.number, order.lines, order.total, order.total if charged else Decimal("0.00"), order.currency
        )

    async def refund_status(self, number: str) -> RefundStatus:
        normalised = self._checked_number(number)
        try:
            data = await self._call("refund_status", {"number": normalised})
        except _NotFound:
            raise OrderNotFound(normalised) from None
        if data is None:
            return RefundStatus(normalised, RefundState.NONE, Decimal("0.00"), self._policy.config.currency)
        return self._map("refund_status", lambda d: self._refund(normalised, d), data)

    # -- helpers -------------------------------------------------------------------------------

    @staticmethod
    def _checked_number(number: str) -> str:
        normalised = normalise_order_number(number)
        if normalised is None:
            raise OrderNotFound(str(number))
        return normalised

    async def _updated_order(self, name: str, number: str, data: Any) -> Order:
        """The order from a change's answer when it has one, else read afresh."""
        if isinstance(data, Mapping) and self.config.fields["order"].raw(data, "number") is not None:
            return self._map(name, self._order, data)
        return await self.get_order(number)
