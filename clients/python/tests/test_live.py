"""Runs the client against a live paycore started by `scripts/test-clients python` (from the
repository root), which passes the server's address, a merchant's keys and the port for this
test's webhook receiver in TEST_PAYCORE_* variables, and the address of a second server on the
same database that requires mutual TLS, with the CA and client certificate to reach it."""

from __future__ import annotations

import http.client
import json
import os
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import grpc
import pytest
from google.protobuf import json_format
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

import paycore
from paycore.v1 import common_pb2, notify_pb2, payment_pb2, refund_pb2

# Every wait in this test ends by then.
DEADLINE_SECONDS = 15.0


@dataclass(frozen=True)
class Env:
    target: str
    http_url: str
    api_key: str
    webhook_secret: str
    webhook_port: int


def get_env(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        pytest.fail(f"{name} is not set: run `scripts/test-clients python` from the repository root")
    return value


def load_env() -> Env:
    get = get_env
    return Env(
        target=get("TEST_PAYCORE_TARGET"),
        http_url=get("TEST_PAYCORE_HTTP_URL"),
        api_key=get("TEST_PAYCORE_API_KEY"),
        webhook_secret=get("TEST_PAYCORE_WEBHOOK_SECRET"),
        webhook_port=int(get("TEST_PAYCORE_WEBHOOK_PORT")),
    )


@dataclass(frozen=True)
class Delivery:
    """One webhook request as it arrived."""

    headers: dict[str, str]  # names in lower case
    body: bytes


@dataclass
class Receiver:
    lock: threading.Lock = field(default_factory=threading.Lock)
    deliveries: list[Delivery] = field(default_factory=list)

    def find(self, event_type: str, object_id: str) -> Delivery:
        """Waits for a delivery whose event has the type and object id given."""
        deadline = time.monotonic() + DEADLINE_SECONDS
        while time.monotonic() < deadline:
            with self.lock:
                for delivery in self.deliveries:
                    event = json.loads(delivery.body)
                    if event.get("type") == event_type and event.get("data", {}).get("id") == object_id:
                        return delivery
            time.sleep(0.05)
        pytest.fail(f"no {event_type} webhook for {object_id} within {DEADLINE_SECONDS:.0f}s")


@contextmanager
def webhook_receiver(port: int) -> Iterator[Receiver]:
    """Records every POST /webhooks on 127.0.0.1:port and answers 204."""
    receiver = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if self.path != "/webhooks":
                self.send_response(404)
                self.end_headers()
                return
            with receiver.lock:
                receiver.deliveries.append(Delivery({k.lower(): v for k, v in self.headers.items()}, body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass  # keeps pytest's output to the test's own failures

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join(DEADLINE_SECONDS)


def sandbox_pay(http_url: str, payment_id: str) -> tuple[int, bytes]:
    """POSTs to the sandbox's pay endpoint as a program would: no form content type, so the
    answer is JSON rather than a redirect back to the checkout page."""
    conn = http.client.HTTPConnection(urlsplit(http_url).netloc, timeout=DEADLINE_SECONDS)
    try:
        conn.request("POST", f"/sandbox/pay/{payment_id}", body=b"")
        answer = conn.getresponse()
        return answer.status, answer.read()
    finally:
        conn.close()


def get_payment(client: paycore.Client, **lookup: str) -> payment_pb2.Payment:
    request = payment_pb2.GetPaymentRequest(**lookup)
    return client.payments.GetPayment(request, timeout=DEADLINE_SECONDS).payment


def test_live_server() -> None:
    env = load_env()
    with webhook_receiver(env.webhook_port) as hooks, paycore.connect(env.target, env.api_key) as client:
        run_scenario(env, hooks, client)


@dataclass(frozen=True)
class TLSEnv:
    target: str
    ca_file: str
    cert_file: str
    key_file: str
    api_key: str


def load_tls_env() -> TLSEnv:
    return TLSEnv(
        target=get_env("TEST_PAYCORE_TLS_TARGET"),
        ca_file=get_env("TEST_PAYCORE_TLS_CA"),
        cert_file=get_env("TEST_PAYCORE_TLS_CLIENT_CERT"),
        key_file=get_env("TEST_PAYCORE_TLS_CLIENT_KEY"),
        api_key=get_env("TEST_PAYCORE_API_KEY"),
    )


def test_mutual_tls_with_client_certificate() -> None:
    env = load_tls_env()
    credentials = paycore.tls_credentials(ca_file=env.ca_file, cert_file=env.cert_file, key_file=env.key_file)
    order_id = f"py-tls-{uuid.uuid4().hex[:12]}"
    with paycore.connect(env.target, env.api_key, credentials=credentials) as client:
        paid = client.payments.CreatePayment(
            payment_pb2.CreatePaymentRequest(
                merchant_order_id=order_id,
                amount=common_pb2.Money(amount_minor=1999, currency="CNY"),
                method=payment_pb2.PAYMENT_METHOD_QR_CODE,
                metadata={"sandbox_outcome": "succeed"},
            ),
            timeout=DEADLINE_SECONDS,
        ).payment
        assert paid.status == payment_pb2.PAYMENT_STATUS_SUCCEEDED, paid
        assert paid.merchant_order_id == order_id, paid
        listed = client.payments.ListPayments(payment_pb2.ListPaymentsRequest(page_size=10), timeout=DEADLINE_SECONDS)
        assert paid.id in [p.id for p in listed.payments]


def test_tls_without_client_certificate_is_refused() -> None:
    env = load_tls_env()
    credentials = paycore.tls_credentials(ca_file=env.ca_file)
    with paycore.connect(env.target, env.api_key, credentials=credentials) as client:
        with pytest.raises(grpc.RpcError) as refused:
            client.payments.ListPayments(payment_pb2.ListPaymentsRequest(page_size=10), timeout=DEADLINE_SECONDS)
    # A transport failure: the handshake was refused, so paycore never answered. The server
    # refused it, not the client, which reports its own distrust of the server's certificate
    # as CERTIFICATE_VERIFY_FAILED.
    assert refused.value.code() == grpc.StatusCode.UNAVAILABLE, refused.value
    assert paycore.reason(refused.value) is None, refused.value
    assert "CERTIFICATE_VERIFY_FAILED" not in (refused.value.details() or ""), refused.value
    print(f"refused as expected: {refused.value.details()}")


def test_tls_credentials_need_both_certificate_and_key() -> None:
    with pytest.raises(ValueError):
        paycore.tls_credentials(cert_file="client.crt")


def run_scenario(env: Env, hooks: Receiver, client: paycore.Client) -> None:
    prefix = f"py-{uuid.uuid4().hex[:12]}"

    # 1. A payment the sandbox completes at once.
    paid = client.payments.CreatePayment(
        payment_pb2.CreatePaymentRequest(
            merchant_order_id=f"{prefix}-1",
            amount=common_pb2.Money(amount_minor=1999, currency="CNY"),
            description="Two coffees",
            method=payment_pb2.PAYMENT_METHOD_QR_CODE,
            metadata={"sandbox_outcome": "succeed"},
        ),
        timeout=DEADLINE_SECONDS,
    ).payment
    assert paid.status == payment_pb2.PAYMENT_STATUS_SUCCEEDED, paid
    assert paid.id.startswith("pay_"), paid
    assert paid.channel_id == "sandbox", paid

    # 2. Read it back by id and by the merchant's order id.
    got = get_payment(client, id=paid.id)
    assert got.id == paid.id
    assert got.status == payment_pb2.PAYMENT_STATUS_SUCCEEDED
    assert (got.amount.amount_minor, got.amount.currency) == (1999, "CNY")
    assert get_payment(client, merchant_order_id=f"{prefix}-1").id == paid.id

    # 3. It is listed.
    listed = client.payments.ListPayments(payment_pb2.ListPaymentsRequest(page_size=10), timeout=DEADLINE_SECONDS)
    assert paid.id in [p.id for p in listed.payments]

    # 4. A pending payment, paid through the sandbox's pay endpoint.
    pending = client.payments.CreatePayment(
        payment_pb2.CreatePaymentRequest(
            merchant_order_id=f"{prefix}-2",
            amount=common_pb2.Money(amount_minor=700, currency="CNY"),
            method=payment_pb2.PAYMENT_METHOD_QR_CODE,
        ),
        timeout=DEADLINE_SECONDS,
    ).payment
    assert pending.status == payment_pb2.PAYMENT_STATUS_PENDING, pending
    assert pending.next_action.WhichOneof("action") == "qr_code_content", pending
    assert pending.next_action.qr_code_content == f"{env.http_url}/sandbox/checkout/{pending.id}", pending
    status, answer = sandbox_pay(env.http_url, pending.id)
    assert status == 200, answer
    assert json.loads(answer) == {"payment_id": pending.id, "status": "succeeded"}
    assert get_payment(client, id=pending.id).status == payment_pb2.PAYMENT_STATUS_SUCCEEDED

    # 5. A partial refund of the first payment.
    refund = client.refunds.CreateRefund(
        refund_pb2.CreateRefundRequest(
            payment_id=paid.id,
            merchant_refund_id=f"{prefix}-r1",
            amount=common_pb2.Money(amount_minor=500, currency="CNY"),
            reason="one coffee spilled",
        ),
        timeout=DEADLINE_SECONDS,
    ).refund
    assert refund.status == refund_pb2.REFUND_STATUS_SUCCEEDED, refund
    assert refund.id.startswith("rfd_"), refund
    refunded = get_payment(client, id=paid.id).refunded_amount
    assert (refunded.amount_minor, refunded.currency) == (500, "CNY")

    # 6. The event stream replays all of it in order.
    check_events(
        client,
        {
            paid.id: ["payment.created", "payment.succeeded"],
            refund.id: ["refund.created", "refund.succeeded"],
            pending.id: ["payment.created", "payment.pending", "payment.succeeded"],
        },
    )

    # 7. Errors carry a stable reason and, for bad requests, the bad field.
    with pytest.raises(grpc.RpcError) as negative:
        client.payments.CreatePayment(
            payment_pb2.CreatePaymentRequest(
                merchant_order_id=f"{prefix}-3",
                amount=common_pb2.Money(amount_minor=-5, currency="CNY"),
                description="Two coffees",
                method=payment_pb2.PAYMENT_METHOD_QR_CODE,
            ),
            timeout=DEADLINE_SECONDS,
        )
    assert negative.value.code() == grpc.StatusCode.INVALID_ARGUMENT, negative.value
    info = paycore.error_info(negative.value)
    assert info is not None and (info.domain, info.reason) == ("paycore", "INVALID_REQUEST"), info
    assert paycore.reason(negative.value) == "INVALID_REQUEST"
    violations = [(v.field, v.reason) for v in paycore.field_violations(negative.value)]
    assert violations == [("amount.amount_minor", "INVALID_AMOUNT")]

    with pytest.raises(grpc.RpcError) as conflict:
        client.payments.CreatePayment(
            payment_pb2.CreatePaymentRequest(
                merchant_order_id=f"{prefix}-1",
                amount=common_pb2.Money(amount_minor=1000, currency="CNY"),
                description="Two coffees",
                method=payment_pb2.PAYMENT_METHOD_QR_CODE,
                metadata={"sandbox_outcome": "succeed"},
            ),
            timeout=DEADLINE_SECONDS,
        )
    assert conflict.value.code() == grpc.StatusCode.ALREADY_EXISTS, conflict.value
    info = paycore.error_info(conflict.value)
    assert info is not None and (info.domain, info.reason) == ("paycore", "IDEMPOTENCY_CONFLICT"), info
    assert paycore.reason(conflict.value) == "IDEMPOTENCY_CONFLICT"
    assert paycore.field_violations(conflict.value) == []

    # 8. The webhook for the first payment verifies with the Standard Webhooks library, and
    # would not if the body had been changed on the way.
    hook = hooks.find("payment.succeeded", paid.id)
    verifier = Webhook(env.webhook_secret)
    body = verifier.verify(hook.body, hook.headers)
    assert body["id"].startswith("evt_") and body["id"] == hook.headers["webhook-id"], body
    assert body["type"] == "payment.succeeded", body
    datetime.fromisoformat(body["timestamp"].replace("Z", "+00:00"))
    payment = json_format.ParseDict(body["data"], payment_pb2.Payment())
    assert payment.id == paid.id and payment.status == payment_pb2.PAYMENT_STATUS_SUCCEEDED, body
    assert body["data"]["status"] == "PAYMENT_STATUS_SUCCEEDED", body
    assert (payment.amount.amount_minor, payment.amount.currency) == (1999, "CNY"), body
    tampered = hook.body.replace(b"PAYMENT_STATUS_SUCCEEDED", b"PAYMENT_STATUS_SUCCEEDEX", 1)
    assert tampered != hook.body
    with pytest.raises(WebhookVerificationError):
        verifier.verify(tampered, hook.headers)


def check_events(client: paycore.Client, want: dict[str, list[str]]) -> None:
    """Reads the stream from the beginning until every object has had as many events as
    expected of it, then checks their types and order, that cursors rise and that ids do
    not repeat."""
    seen: dict[str, list[str]] = {object_id: [] for object_id in want}
    ids: set[str] = set()
    last_cursor = 0
    stream = client.notify.WatchEvents(notify_pb2.WatchEventsRequest(cursor="0"), timeout=DEADLINE_SECONDS)
    try:
        for response in stream:
            event = response.event
            assert event.id.startswith("evt_") and event.id not in ids, event
            ids.add(event.id)
            assert int(event.cursor) > last_cursor, (event.cursor, last_cursor)
            last_cursor = int(event.cursor)
            assert event.created_at.seconds > 0, event
            kind = event.WhichOneof("object")
            object_id = event.payment.id if kind == "payment" else event.refund.id
            if object_id in seen:
                seen[object_id].append(event.type)
            if all(len(seen[o]) >= len(types) for o, types in want.items()):
                break
        else:
            pytest.fail(f"WatchEvents ended before all events arrived (seen {seen})")
    except grpc.RpcError as err:
        pytest.fail(f"WatchEvents failed before all events arrived (seen {seen}): {err}")
    finally:
        stream.cancel()
    assert seen == want
