"use strict";
// The client against the paycore that `scripts/test-clients node` starts with mutual TLS, on the
// same database as the cleartext one, so the merchant's API key works on both.

const assert = require("node:assert/strict");
const { randomBytes } = require("node:crypto");
const { describe, it } = require("node:test");
const {
  connect,
  reason,
  status,
  tlsCredentials,
  unary,
  CreatePaymentRequest,
  ListPaymentsRequest,
  PaymentMethod,
  PaymentStatus,
} = require("../dist");

const WAIT_MS = 15_000;
const STEP = { timeout: 2 * WAIT_MS };
const deadline = () => ({ deadline: Date.now() + WAIT_MS });

function environment() {
  const names = [
    "TEST_PAYCORE_TLS_TARGET",
    "TEST_PAYCORE_TLS_CA",
    "TEST_PAYCORE_TLS_CLIENT_CERT",
    "TEST_PAYCORE_TLS_CLIENT_KEY",
    "TEST_PAYCORE_API_KEY",
  ];
  const missing = names.filter((name) => !process.env[name]);
  if (missing.length > 0) {
    throw new Error(
      `${missing.join(", ")} not set: run \`scripts/test-clients node\` from the repository root`,
    );
  }
  const env = process.env;
  return {
    target: env.TEST_PAYCORE_TLS_TARGET,
    caFile: env.TEST_PAYCORE_TLS_CA,
    certFile: env.TEST_PAYCORE_TLS_CLIENT_CERT,
    keyFile: env.TEST_PAYCORE_TLS_CLIENT_KEY,
    apiKey: env.TEST_PAYCORE_API_KEY,
  };
}

describe("paycore over mutual TLS", () => {
  it("creates and lists a payment with a client certificate", STEP, async () => {
    const env = environment();
    const { caFile, certFile, keyFile } = env;
    const paycore = connect(env.target, env.apiKey, {
      credentials: tlsCredentials({ caFile, certFile, keyFile }),
    });
    try {
      const orderId = `node-tls-${Date.now().toString(36)}-${randomBytes(4).toString("hex")}`;
      const { payment } = await unary(
        paycore.payments,
        "createPayment",
        CreatePaymentRequest.fromPartial({
          merchantOrderId: orderId,
          amount: { amountMinor: 1999, currency: "CNY" },
          method: PaymentMethod.PAYMENT_METHOD_QR_CODE,
          metadata: { sandbox_outcome: "succeed" },
        }),
        deadline(),
      );
      assert.equal(payment.status, PaymentStatus.PAYMENT_STATUS_SUCCEEDED);
      assert.equal(payment.merchantOrderId, orderId);
      const listed = await unary(
        paycore.payments,
        "listPayments",
        ListPaymentsRequest.fromPartial({ pageSize: 10 }),
        deadline(),
      );
      assert.ok(
        listed.payments.some((p) => p.id === payment.id),
        `ListPayments over mutual TLS does not list ${payment.id}`,
      );
    } finally {
      paycore.close();
    }
  });

  it("is refused in the handshake without a client certificate", STEP, async () => {
    const env = environment();
    const paycore = connect(env.target, env.apiKey, {
      credentials: tlsCredentials({ caFile: env.caFile }),
    });
    try {
      const error = await unary(
        paycore.payments,
        "listPayments",
        ListPaymentsRequest.fromPartial({ pageSize: 10 }),
        deadline(),
      ).then(
        () => assert.fail("the call succeeded without a client certificate"),
        (error) => error,
      );
      // A transport failure: paycore never answered, so there is no reason of its own.
      assert.equal(error.code, status.UNAVAILABLE, error.message);
      assert.equal(reason(error), undefined);
      // And the server ended it (with its "certificate required" alert, or by closing the
      // connection before the client read that), not the client's own distrust of the server's
      // certificate, which Node's tls reports in OpenSSL's words.
      assert.doesNotMatch(
        error.message,
        /unable to (verify|get local issuer)|self[- ]signed|has expired|altnames/i,
      );
      console.log(`refused as expected: ${error.message}`);
    } finally {
      paycore.close();
    }
  });

  it("wants a client certificate and its key together", () => {
    assert.throws(() => tlsCredentials({ certFile: "client.crt" }), /both certFile and keyFile/);
  });
});
