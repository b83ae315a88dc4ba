"use strict";
// The spec's end-to-end scenario against a live paycore started by `scripts/test-clients node`.

const assert = require("node:assert/strict");
const { randomBytes } = require("node:crypto");
const http = require("node:http");
const { after, before, describe, it } = require("node:test");
const { Webhook, WebhookVerificationError } = require("standardwebhooks");
const {
  connect,
  unary,
  errorDetails,
  reason,
  status,
  Metadata,
  CreatePaymentRequest,
  CreateRefundRequest,
  GetPaymentRequest,
  ListPaymentsRequest,
  WatchEventsRequest,
  PaymentMethod,
  PaymentStatus,
  RefundStatus,
} = require("../dist");

const WAIT_MS = 15_000;
const STEP = { timeout: 2 * WAIT_MS };

function environment() {
  const names = [
    "TEST_PAYCORE_TARGET",
    "TEST_PAYCORE_HTTP_URL",
    "TEST_PAYCORE_API_KEY",
    "TEST_PAYCORE_WEBHOOK_SECRET",
    "TEST_PAYCORE_WEBHOOK_PORT",
  ];
  const missing = names.filter((name) => !process.env[name]);
  if (missing.length > 0) {
    throw new Error(
      `${missing.join(", ")} not set: run \`scripts/test-clients node\` from the repository root`,
    );
  }
  const env = process.env;
  return {
    target: env.TEST_PAYCORE_TARGET,
    httpUrl: env.TEST_PAYCORE_HTTP_URL,
    apiKey: env.TEST_PAYCORE_API_KEY,
    webhookSecret: env.TEST_PAYCORE_WEBHOOK_SECRET,
    webhookPort: Number(env.TEST_PAYCORE_WEBHOOK_PORT),
  };
}

/** Every gRPC call gets a deadline so that a silent server fails the test instead of hanging it. */
const deadline = () => ({ deadline: Date.now() + WAIT_MS });

/** Records each POST /webhooks (headers and raw body) and answers 204. */
function startReceiver(port, deliveries) {
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      if (req.method === "POST" && req.url === "/webhooks") {
        deliveries.push({ headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(204).end();
      } else {
        res.writeHead(404).end();
      }
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

async function waitFor(what, check) {
  const end = Date.now() + WAIT_MS;
  for (;;) {
    const found = check();
    if (found !== undefined) return found;
    if (Date.now() > end) throw new Error(`timed out after ${WAIT_MS} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Reads events from `stream` until `done(events)` holds, then cancels the stream. */
function collectEvents(stream, done) {
  return new Promise((resolve, reject) => {
    const events = [];
    let finished = false;
    const finish = (error) => {
      if (finished) return;
      finished = true;
      stream.cancel();
      if (error) reject(error);
      else resolve(events);
    };
    stream.on("data", (response) => {
      events.push(response.event);
      if (done(events)) finish();
    });
    stream.on("error", (error) => {
      const seen = events.map((e) => e.type).join(", ");
      finish(new Error(`WatchEvents ended before all events arrived (seen: ${seen})`, { cause: error }));
    });
    stream.on("end", () => finish(new Error("WatchEvents ended although it should stay open")));
  });
}

async function rejection(promise) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail("the call succeeded but should have failed");
}

describe("paycore over the node client", () => {
  const suffix = `${Date.now().toString(36)}-${randomBytes(4).toString("hex")}`;
  const deliveries = [];
  let env;
  let receiver;
  let paycore;
  // Filled in by the steps, in order.
  let first;
  let second;
  let refund;

  before(async () => {
    env = environment();
    receiver = await startReceiver(env.webhookPort, deliveries);
    paycore = connect(env.target, env.apiKey);
  });

  after(async () => {
    paycore?.close();
    if (receiver) {
      receiver.closeAllConnections();
      await new Promise((resolve) => receiver.close(resolve));
    }
  });

  it("creates a payment that the sandbox settles at once", STEP, async () => {
    const { payment } = await unary(
      paycore.payments,
      "createPayment",
      CreatePaymentRequest.fromPartial({
        merchantOrderId: `node-${suffix}-1`,
        amount: { amountMinor: 1999, currency: "CNY" },
        description: "Two coffees",
        method: PaymentMethod.PAYMENT_METHOD_QR_CODE,
        metadata: { sandbox_outcome: "succeed" },
      }),
      deadline(),
    );
    assert.equal(payment.status, PaymentStatus.PAYMENT_STATUS_SUCCEEDED);
    assert.match(payment.id, /^pay_/);
    assert.equal(payment.channelId, "sandbox");
    assert.equal(payment.merchantOrderId, `node-${suffix}-1`);
    assert.deepEqual(payment.amount, { amountMinor: 1999, currency: "CNY" });
    first = payment;
  });

  it("reads the payment by id and by merchant_order_id", STEP, async () => {
    const byId = await unary(
      paycore.payments,
      "getPayment",
      GetPaymentRequest.fromPartial({ id: first.id }),
      deadline(),
    );
    assert.equal(byId.payment.id, first.id);
    assert.equal(byId.payment.status, PaymentStatus.PAYMENT_STATUS_SUCCEEDED);
    assert.deepEqual(byId.payment.amount, { amountMinor: 1999, currency: "CNY" });
    assert.equal(byId.payment.description, "Two coffees");

    const byOrder = await unary(
      paycore.payments,
      "getPayment",
      GetPaymentRequest.fromPartial({ merchantOrderId: first.merchantOrderId }),
      deadline(),
    );
    assert.equal(byOrder.payment.id, first.id);
  });

  it("lists the payment", STEP, async () => {
    const { payments } = await unary(
      paycore.payments,
      "listPayments",
      ListPaymentsRequest.fromPartial({ pageSize: 10 }),
      deadline(),
    );
    assert.ok(payments.length <= 10, `page of ${payments.length} payments exceeds page_size 10`);
    assert.ok(
      payments.some((p) => p.id === first.id),
      `${first.id} missing from ${payments.map((p) => p.id).join(", ")}`,
    );
  });

  it("leaves a payment pending until the sandbox buyer pays", STEP, async () => {
    const { payment } = await unary(
      paycore.payments,
      "createPayment",
      CreatePaymentRequest.fromPartial({
        merchantOrderId: `node-${suffix}-2`,
        amount: { amountMinor: 700, currency: "CNY" },
        method: PaymentMethod.PAYMENT_METHOD_QR_CODE,
      }),
      deadline(),
    );
    assert.equal(payment.status, PaymentStatus.PAYMENT_STATUS_PENDING);
    assert.equal(
      payment.nextAction?.qrCodeContent,
      `${env.httpUrl}/sandbox/checkout/${payment.id}`,
    );
    second = payment;

    const response = await fetch(`${env.httpUrl}/sandbox/pay/${payment.id}`, {
      method: "POST",
      signal: AbortSignal.timeout(WAIT_MS),
    });
    assert.equal(response.status, 200, await response.clone().text());
    assert.deepEqual(await response.json(), { payment_id: payment.id, status: "succeeded" });

    const paid = await unary(
      paycore.payments,
      "getPayment",
      GetPaymentRequest.fromPartial({ id: payment.id }),
      deadline(),
    );
    assert.equal(paid.payment.status, PaymentStatus.PAYMENT_STATUS_SUCCEEDED);
  });

  it("refunds part of the first payment", STEP, async () => {
    const created = await unary(
      paycore.refunds,
      "createRefund",
      CreateRefundRequest.fromPartial({
        paymentId: first.id,
        merchantRefundId: `node-${suffix}-r1`,
        amount: { amountMinor: 500, currency: "CNY" },
        reason: "one coffee spilled",
      }),
      deadline(),
    );
    assert.equal(created.refund.status, RefundStatus.REFUND_STATUS_SUCCEEDED);
    assert.match(created.refund.id, /^rfd_/);
    assert.equal(created.refund.paymentId, first.id);
    assert.deepEqual(created.refund.amount, { amountMinor: 500, currency: "CNY" });
    refund = created.refund;

    const { payment } = await unary(
      paycore.payments,
      "getPayment",
      GetPaymentRequest.fromPartial({ id: first.id }),
      deadline(),
    );
    assert.deepEqual(payment.refundedAmount, { amountMinor: 500, currency: "CNY" });
  });

  it("streams the merchant's events in order", STEP, async () => {
    const objectId = (e) => e.payment?.id ?? e.refund?.id;
    const wanted = [
      [first.id, ["payment.created", "payment.succeeded"]],
      [refund.id, ["refund.created", "refund.succeeded"]],
      [second.id, ["payment.created", "payment.pending", "payment.succeeded"]],
    ];
    const typesOf = (events, id) => events.filter((e) => objectId(e) === id).map((e) => e.type);
    const hasAll = (events) =>
      wanted.every(([id, types]) => types.every((t) => typesOf(events, id).includes(t)));

    const stream = paycore.notify.watchEvents(
      WatchEventsRequest.fromPartial({ cursor: "0" }),
      deadline(),
    );
    const events = await collectEvents(stream, hasAll);

    for (const [id, types] of wanted) {
      const seen = typesOf(events, id).filter((t) => types.includes(t));
      assert.deepEqual(seen, types, `events of ${id}`);
    }
    const position = (id, type) => events.findIndex((e) => objectId(e) === id && e.type === type);
    assert.ok(
      position(first.id, "payment.succeeded") < position(refund.id, "refund.created"),
      "the refund's events come after the payment succeeded",
    );
    for (const e of events) {
      assert.match(e.id, /^evt_/);
      assert.ok(e.createdAt instanceof Date && !Number.isNaN(e.createdAt.getTime()), e.id);
      assert.ok(e.type.startsWith(e.payment ? "payment." : "refund."), `${e.id} ${e.type}`);
      assert.ok((e.payment === undefined) !== (e.refund === undefined), `${e.id} has one object`);
    }
    const refundEvent = events.find((e) => e.type === "refund.succeeded" && e.refund?.id === refund.id);
    assert.equal(refundEvent.refund.paymentId, first.id);
    assert.equal(new Set(events.map((e) => e.id)).size, events.length, "event ids are unique");
    const cursors = events.map((e) => BigInt(e.cursor));
    for (let i = 1; i < cursors.length; i++) {
      assert.ok(cursors[i] > cursors[i - 1], `cursor ${cursors[i]} follows ${cursors[i - 1]}`);
    }
  });

  it("explains an invalid request with ErrorInfo and BadRequest", STEP, async () => {
    const error = await rejection(
      unary(
        paycore.payments,
        "createPayment",
        CreatePaymentRequest.fromPartial({
          merchantOrderId: `node-${suffix}-3`,
          amount: { amountMinor: -5, currency: "CNY" },
          description: "Negative",
          method: PaymentMethod.PAYMENT_METHOD_QR_CODE,
        }),
        deadline(),
      ),
    );
    const details = errorDetails(error);
    assert.equal(details.code, status.INVALID_ARGUMENT, error.message);
    assert.equal(details.errorInfo?.domain, "paycore");
    assert.equal(details.errorInfo?.reason, "INVALID_REQUEST");
    assert.equal(reason(error), "INVALID_REQUEST");
    const violation = details.fieldViolations.find((v) => v.field === "amount.amount_minor");
    assert.ok(violation, JSON.stringify(details.fieldViolations));
    assert.equal(violation.reason, "INVALID_AMOUNT");
    assert.ok(violation.description.length > 0);
  });

  it("refuses to reuse a merchant_order_id for another payment", STEP, async () => {
    const error = await rejection(
      unary(
        paycore.payments,
        "createPayment",
        CreatePaymentRequest.fromPartial({
          merchantOrderId: first.merchantOrderId,
          amount: { amountMinor: 1000, currency: "CNY" },
          description: "Two coffees",
          method: PaymentMethod.PAYMENT_METHOD_QR_CODE,
          metadata: { sandbox_outcome: "succeed" },
        }),
        deadline(),
      ),
    );
    const details = errorDetails(error);
    assert.equal(details.code, status.ALREADY_EXISTS, error.message);
    assert.equal(details.errorInfo?.domain, "paycore");
    assert.equal(reason(error), "IDEMPOTENCY_CONFLICT");
  });

  it("refuses a call made with another key", STEP, async () => {
    const request = GetPaymentRequest.fromPartial({ id: first.id });
    const stranger = connect(env.target, "pk_not_a_real_key");
    try {
      const error = await rejection(unary(stranger.payments, "getPayment", request, deadline()));
      assert.equal(error.code, status.UNAUTHENTICATED, error.message);
      assert.equal(reason(error), "INVALID_API_KEY");
    } finally {
      stranger.close();
    }

    // A call's own authorization wins over the key given to connect.
    const own = new Metadata();
    own.set("authorization", "Bearer pk_not_a_real_key");
    const error = await rejection(unary(paycore.payments, "getPayment", request, deadline(), own));
    assert.equal(reason(error), "INVALID_API_KEY");
  });

  it("delivers a signed payment.succeeded webhook", STEP, async () => {
    const delivery = await waitFor(`the payment.succeeded webhook for ${first.id}`, () =>
      deliveries.find((d) => {
        const body = JSON.parse(d.body.toString("utf8"));
        return body.type === "payment.succeeded" && body.data?.id === first.id;
      }),
    );
    const body = JSON.parse(delivery.body.toString("utf8"));
    assert.match(body.id, /^evt_/);
    assert.equal(delivery.headers["webhook-id"], body.id);
    assert.match(delivery.headers["webhook-timestamp"], /^\d+$/);
    assert.match(delivery.headers["webhook-signature"], /^v1,\S+( v1,\S+)*$/);
    assert.ok(!Number.isNaN(Date.parse(body.timestamp)), `timestamp ${body.timestamp}`);
    // proto3 JSON: lowerCamelCase names, enum names, int64 as a string.
    assert.equal(body.data.status, "PAYMENT_STATUS_SUCCEEDED");
    assert.equal(body.data.merchantOrderId, first.merchantOrderId);
    assert.deepEqual(body.data.amount, { amountMinor: "1999", currency: "CNY" });

    const webhook = new Webhook(env.webhookSecret);
    const headers = {
      "webhook-id": delivery.headers["webhook-id"],
      "webhook-timestamp": delivery.headers["webhook-timestamp"],
      "webhook-signature": delivery.headers["webhook-signature"],
    };
    assert.deepEqual(webhook.verify(delivery.body, headers), body);

    const tampered = Buffer.from(delivery.body);
    const at = tampered.indexOf(first.id) + "pay_".length;
    tampered[at] ^= 1;
    assert.throws(() => webhook.verify(tampered, headers), WebhookVerificationError);
  });
});
