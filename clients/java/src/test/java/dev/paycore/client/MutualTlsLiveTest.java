package dev.paycore.client;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.paycore.v1.CreatePaymentRequest;
import dev.paycore.v1.ListPaymentsRequest;
import dev.paycore.v1.Money;
import dev.paycore.v1.Payment;
import dev.paycore.v1.PaymentMethod;
import dev.paycore.v1.PaymentServiceGrpc.PaymentServiceBlockingStub;
import dev.paycore.v1.PaymentStatus;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * The client against the paycore that {@code scripts/test-clients java} starts with mutual TLS,
 * on the same database as the cleartext one, so the merchant's API key works on both.
 */
class MutualTlsLiveTest {
  private static final long WAIT_SECONDS = 15;

  private static String env(String name) {
    String value = System.getenv(name);
    if (value == null || value.isBlank()) {
      fail(name + " is not set: run `scripts/test-clients java` from the repository root");
    }
    return value;
  }

  private static PaymentServiceBlockingStub payments(Paycore paycore) {
    return paycore.payments().withDeadlineAfter(WAIT_SECONDS, SECONDS);
  }

  @Test
  void withClientCertificateCreatesAndListsAPayment() throws Exception {
    String orderId =
        "java-tls-"
            + System.currentTimeMillis()
            + "-"
            + ThreadLocalRandom.current().nextInt(1_000_000);
    try (Paycore paycore =
        Paycore.connect(
            env("TEST_PAYCORE_TLS_TARGET"),
            Paycore.tls(
                Path.of(env("TEST_PAYCORE_TLS_CA")),
                Path.of(env("TEST_PAYCORE_TLS_CLIENT_CERT")),
                Path.of(env("TEST_PAYCORE_TLS_CLIENT_KEY"))),
            env("TEST_PAYCORE_API_KEY"))) {
      Payment paid =
          payments(paycore)
              .createPayment(
                  CreatePaymentRequest.newBuilder()
                      .setMerchantOrderId(orderId)
                      .setAmount(Money.newBuilder().setAmountMinor(1999).setCurrency("CNY"))
                      .setMethod(PaymentMethod.PAYMENT_METHOD_QR_CODE)
                      .putMetadata("sandbox_outcome", "succeed")
                      .build())
              .getPayment();
      assertEquals(PaymentStatus.PAYMENT_STATUS_SUCCEEDED, paid.getStatus());
      assertEquals(orderId, paid.getMerchantOrderId());

      List<Payment> listed =
          payments(paycore)
              .listPayments(ListPaymentsRequest.newBuilder().setPageSize(10).build())
              .getPaymentsList();
      assertTrue(
          listed.stream().anyMatch(p -> p.getId().equals(paid.getId())),
          "ListPayments over mutual TLS does not list " + paid.getId());
    }
  }

  @Test
  void withoutClientCertificateTheHandshakeIsRefused() throws Exception {
    try (Paycore paycore =
        Paycore.connect(
            env("TEST_PAYCORE_TLS_TARGET"),
            Paycore.tls(Path.of(env("TEST_PAYCORE_TLS_CA"))),
            env("TEST_PAYCORE_API_KEY"))) {
      StatusRuntimeException refused =
          assertThrows(
              StatusRuntimeException.class,
              () ->
                  payments(paycore)
                      .listPayments(ListPaymentsRequest.newBuilder().setPageSize(10).build()));
      // A transport failure: paycore never answered, so there is no reason of its own.
      assertEquals(Status.Code.UNAVAILABLE, refused.getStatus().getCode(), refused.toString());
      assertTrue(PaycoreErrors.reason(refused).isEmpty(), refused.toString());
      // And the server ended it (with its certificate_required alert, or by closing the
      // connection before the client read that), not the client's own distrust of the server's
      // certificate, which the trust manager reports with a CertificateException.
      for (Throwable t = refused; t != null; t = t.getCause()) {
        assertFalse(t instanceof CertificateException, refused.toString());
      }
      System.out.println("refused as expected: " + refused.getStatus());
    }
  }
}
