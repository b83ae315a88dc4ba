package dev.paycore.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.paycore.v1.CreatePaymentRequest;
import dev.paycore.v1.CreateRefundRequest;
import dev.paycore.v1.Event;
import dev.paycore.v1.GetPaymentRequest;
import dev.paycore.v1.ListPaymentsRequest;
import dev.paycore.v1.Money;
import dev.paycore.v1.NotifyServiceGrpc.NotifyServiceBlockingStub;
import dev.paycore.v1.Payment;
import dev.paycore.v1.PaymentMethod;
import dev.paycore.v1.PaymentServiceGrpc.PaymentServiceBlockingStub;
import dev.paycore.v1.PaymentStatus;
import dev.paycore.v1.Refund;
import dev.paycore.v1.RefundServiceGrpc.RefundServiceBlockingStub;
import dev.paycore.v1.RefundStatus;
import dev.paycore.v1.WatchEventsRequest;
import dev.paycore.v1.WatchEventsResponse;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The client against a live paycore, as started by {@code scripts/test-clients java}: payments,
 * refunds, the event stream, rich errors and a signed webhook.
 */
class LiveTest {
  /** The longest any single wait in this test may take. */
  private static final Duration WAIT = Duration.ofSeconds(15);

  private static final String CURRENCY = "CNY";

  // Other languages' tests share the server, so every idempotency key carries this run's tag.
  private final String run =
      "java-" + System.currentTimeMillis() + "-" + ThreadLocalRandom.current().nextInt(1_000_000);

  private Env env;
  private Paycore paycore;

  @Test
  void scenario() throws Exception {
    env = Env.load();
    try (WebhookReceiver receiver = WebhookReceiver.start(env.webhookPort());
        Paycore connected = Paycore.connect(env.target(), env.apiKey())) {
      paycore = connected;

      Payment paid = createSucceededPayment();
      readPayment(paid);
      listPayments(paid);
      Payment paidLater = payPendingPayment();
      Refund refund = refund(paid);
      Event succeeded = watchEvents(paid, paidLater, refund);
      richErrors(paid);
      webhook(receiver, paid, succeeded);
    }
  }

  /** 1. The sandbox pays at once when the metadata asks it to. */
  private Payment createSucceededPayment() {
    String orderId = run + "-1";
    Payment payment =
        payments()
            .createPayment(
                CreatePaymentRequest.newBuilder()
                    .setMerchantOrderId(orderId)
                    .setAmount(money(1999))
                    .setDescription("Two coffees")
                    .setMethod(PaymentMethod.PAYMENT_METHOD_QR_CODE)
                    .putMetadata("sandbox_outcome", "succeed")
                    .build())
            .getPayment();
    assertTrue(payment.getId().startsWith("pay_"), payment.getId());
    assertEquals(PaymentStatus.PAYMENT_STATUS_SUCCEEDED, payment.getStatus());
    assertEquals("sandbox", payment.getChannelId());
    assertEquals(orderId, payment.getMerchantOrderId());
    assertEquals(money(1999), payment.getAmount());
    assertEquals("Two coffees", payment.getDescription());
    assertEquals(PaymentMethod.PAYMENT_METHOD_QR_CODE, payment.getMethod());
    assertEquals(Map.of("sandbox_outcome", "succeed"), payment.getMetadataMap());
    return payment;
  }

  /** 2. By id and by the merchant's order id. */
  private void readPayment(Payment paid) {
    Payment byId =
        payments()
            .getPayment(GetPaymentRequest.newBuilder().setId(paid.getId()).build())
            .getPayment();
    assertEquals(paid.getId(), byId.getId());
    assertEquals(PaymentStatus.PAYMENT_STATUS_SUCCEEDED, byId.getStatus());
    assertEquals(money(1999), byId.getAmount());

    Payment byOrderId =
        payments()
            .getPayment(
                GetPaymentRequest.newBuilder()
                    .setMerchantOrderId(paid.getMerchantOrderId())
                    .build())
            .getPayment();
    assertEquals(paid.getId(), byOrderId.getId());
  }

  /** 3. The merchant is this test's own, so its newest payments fit on one page. */
  private void listPayments(Payment paid) {
    List<Payment> page =
        payments()
            .listPayments(ListPaymentsRequest.newBuilder().setPageSize(10).build())
            .getPaymentsList();
    assertTrue(
        page.stream().anyMatch(p -> p.getId().equals(paid.getId())),
        "ListPayments does not contain " + paid.getId());
  }

  /** 4. Without a sandbox outcome the payment waits for the buyer, who pays over HTTP. */
  private Payment payPendingPayment() throws IOException, InterruptedException {
    Payment pending =
        payments()
            .createPayment(
                CreatePaymentRequest.newBuilder()
                    .setMerchantOrderId(run + "-2")
                    .setAmount(money(700))
                    .setDescription("One tea")
                    .setMethod(PaymentMethod.PAYMENT_METHOD_QR_CODE)
                    .build())
            .getPayment();
    assertEquals(PaymentStatus.PAYMENT_STATUS_PENDING, pending.getStatus());
    assertEquals(
        env.httpUrl() + "/sandbox/checkout/" + pending.getId(),
        pending.getNextAction().getQrCodeContent());

    HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(env.httpUrl() + "/sandbox/pay/" + pending.getId()))
                .POST(HttpRequest.BodyPublishers.noBody())
                .timeout(WAIT)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    JsonObject answer = JsonParser.parseString(response.body()).getAsJsonObject();
    assertEquals(pending.getId(), answer.get("payment_id").getAsString());
    assertEquals("succeeded", answer.get("status").getAsString());

    Payment paid =
        payments()
            .getPayment(GetPaymentRequest.newBuilder().setId(pending.getId()).build())
            .getPayment();
    assertEquals(PaymentStatus.PAYMENT_STATUS_SUCCEEDED, paid.getStatus());
    return paid;
  }

  /** 5. Part of the first payment. */
  private Refund refund(Payment paid) {
    String refundId = run + "-r1";
    Refund refund =
        refunds()
            .createRefund(
                CreateRefundRequest.newBuilder()
                    .setPaymentId(paid.getId())
                    .setMerchantRefundId(refundId)
                    .setAmount(money(500))
                    .setReason("one coffee spilled")
                    .build())
            .getRefund();
    assertTrue(refund.getId().startsWith("rfd_"), refund.getId());
    assertEquals(RefundStatus.REFUND_STATUS_SUCCEEDED, refund.getStatus());
    assertEquals(paid.getId(), refund.getPaymentId());
    assertEquals(refundId, refund.getMerchantRefundId());
    assertEquals(money(500), refund.getAmount());

    Payment refunded =
        payments()
            .getPayment(GetPaymentRequest.newBuilder().setId(paid.getId()).build())
            .getPayment();
    assertEquals(money(500), refunded.getRefundedAmount());
    assertEquals(PaymentStatus.PAYMENT_STATUS_SUCCEEDED, refunded.getStatus());
    return refund;
  }

  /**
   * 6. Reads the merchant's stream from the start until every expected event has arrived, then
   * cancels it. Returns the first payment's "payment.succeeded" event.
   */
  private Event watchEvents(Payment paid, Payment paidLater, Refund refund) throws Exception {
    List<String> paidOrder = List.of(
        paid.getId() + " payment.created",
        paid.getId() + " payment.succeeded",
        refund.getId() + " refund.created",
        refund.getId() + " refund.succeeded");
    List<String> paidLaterOrder = List.of(
        paidLater.getId() + " payment.created",
        paidLater.getId() + " payment.pending",
        paidLater.getId() + " payment.succeeded");
    Set<String> missing = new HashSet<>(paidOrder);
    missing.addAll(paidLaterOrder);

    List<Event> events = new ArrayList<>();
    try (Context.CancellableContext watch = Context.current().withCancellation()) {
      Iterator<WatchEventsResponse> stream =
          watch.call(
              () ->
                  notifications()
                      .watchEvents(WatchEventsRequest.newBuilder().setCursor("0").build()));
      while (!missing.isEmpty()) {
        String stuck = "WatchEvents ended while still waiting for " + missing + "; got ";
        try {
          if (!stream.hasNext()) {
            fail(stuck + keys(events));
          }
        } catch (StatusRuntimeException e) {
          fail(stuck + keys(events), e);
        }
        Event event = stream.next().getEvent();
        events.add(event);
        missing.remove(key(event));
      }
    }

    long previousCursor = -1;
    Set<String> ids = new HashSet<>();
    for (Event event : events) {
      assertTrue(event.getId().startsWith("evt_"), event.getId());
      assertTrue(ids.add(event.getId()), "event id repeated: " + event.getId());
      assertTrue(event.getCreatedAt().getSeconds() > 0, "created_at missing: " + event);
      long cursor = Long.parseLong(event.getCursor());
      assertTrue(cursor > previousCursor, "cursor " + cursor + " after " + previousCursor);
      previousCursor = cursor;
      Event.ObjectCase object =
          event.getType().startsWith("refund.")
              ? Event.ObjectCase.REFUND
              : Event.ObjectCase.PAYMENT;
      assertEquals(object, event.getObjectCase(), event.getType());
    }

    List<String> seen = keys(events);
    assertInOrder(seen, paidOrder);
    assertInOrder(seen, paidLaterOrder);

    Event succeeded = events.get(seen.indexOf(paid.getId() + " payment.succeeded"));
    assertEquals(PaymentStatus.PAYMENT_STATUS_SUCCEEDED, succeeded.getPayment().getStatus());
    Event pending = events.get(seen.indexOf(paidLater.getId() + " payment.pending"));
    assertEquals(PaymentStatus.PAYMENT_STATUS_PENDING, pending.getPayment().getStatus());
    Event refunded = events.get(seen.indexOf(refund.getId() + " refund.succeeded"));
    assertEquals(RefundStatus.REFUND_STATUS_SUCCEEDED, refunded.getRefund().getStatus());
    return succeeded;
  }

  /** 7. Reasons and field violations from the status details. */
  private void richErrors(Payment paid) {
    StatusRuntimeException invalid =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                payments()
                    .createPayment(
                        CreatePaymentRequest.newBuilder()
                            .setMerchantOrderId(run + "-bad")
                            .setAmount(money(-5))
                            .setDescription("Negative")
                            .setMethod(PaymentMethod.PAYMENT_METHOD_QR_CODE)
                            .build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, invalid.getStatus().getCode());
    ErrorInfo info = PaycoreErrors.errorInfo(invalid).orElseThrow();
    assertEquals("paycore", info.getDomain());
    assertEquals("INVALID_REQUEST", info.getReason());
    assertEquals(Optional.of("INVALID_REQUEST"), PaycoreErrors.reason(invalid));
    List<BadRequest.FieldViolation> violations = PaycoreErrors.fieldViolations(invalid);
    assertTrue(
        violations.stream()
            .anyMatch(
                v ->
                    v.getField().equals("amount.amount_minor")
                        && v.getReason().equals("INVALID_AMOUNT")),
        "no INVALID_AMOUNT violation of amount.amount_minor in " + violations);

    StatusRuntimeException conflict =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                payments()
                    .createPayment(
                        CreatePaymentRequest.newBuilder()
                            .setMerchantOrderId(paid.getMerchantOrderId())
                            .setAmount(money(1000))
                            .setDescription("Two coffees")
                            .setMethod(PaymentMethod.PAYMENT_METHOD_QR_CODE)
                            .build()));
    assertEquals(Status.Code.ALREADY_EXISTS, conflict.getStatus().getCode());
    assertEquals("paycore", PaycoreErrors.errorInfo(conflict).orElseThrow().getDomain());
    assertEquals(Optional.of("IDEMPOTENCY_CONFLICT"), PaycoreErrors.reason(conflict));
  }

  /** 8. The first payment's "payment.succeeded" arrives signed with the merchant's secret. */
  private void webhook(WebhookReceiver receiver, Payment paid, Event succeeded) throws Exception {
    Delivery delivery =
        receiver.await(
            d -> {
              JsonObject body = d.json();
              return body.get("type").getAsString().equals("payment.succeeded")
                  && body.getAsJsonObject("data").get("id").getAsString().equals(paid.getId());
            });

    Webhook webhook = new Webhook(env.webhookSecret());
    webhook.verify(new String(delivery.body(), UTF_8), delivery.headers());
    byte[] tampered = delivery.body().clone();
    tampered[tampered.length - 1] ^= 1;
    assertThrows(
        WebhookVerificationException.class,
        () -> webhook.verify(new String(tampered, UTF_8), delivery.headers()));

    JsonObject body = delivery.json();
    assertEquals(succeeded.getId(), body.get("id").getAsString());
    assertEquals(body.get("id").getAsString(), delivery.header("webhook-id"));
    assertTrue(delivery.header("webhook-signature").startsWith("v1,"));
    long sentAt = Long.parseLong(delivery.header("webhook-timestamp"));
    assertTrue(
        Math.abs(sentAt - Instant.now().getEpochSecond()) < 300, "webhook-timestamp " + sentAt);
    OffsetDateTime.parse(body.get("timestamp").getAsString());

    Payment.Builder data = Payment.newBuilder();
    JsonFormat.parser().merge(body.getAsJsonObject("data").toString(), data);
    assertEquals(paid.getId(), data.getId());
    assertEquals(PaymentStatus.PAYMENT_STATUS_SUCCEEDED, data.getStatus());
    assertEquals(money(1999), data.getAmount());
  }

  private PaymentServiceBlockingStub payments() {
    return paycore.payments().withDeadlineAfter(WAIT.toSeconds(), SECONDS);
  }

  private RefundServiceBlockingStub refunds() {
    return paycore.refunds().withDeadlineAfter(WAIT.toSeconds(), SECONDS);
  }

  private NotifyServiceBlockingStub notifications() {
    return paycore.notifications().withDeadlineAfter(WAIT.toSeconds(), SECONDS);
  }

  private static Money money(long amountMinor) {
    return Money.newBuilder().setAmountMinor(amountMinor).setCurrency(CURRENCY).build();
  }

  /** "object id + type", what the ordering checks compare. */
  private static String key(Event event) {
    String objectId =
        event.hasRefund() ? event.getRefund().getId() : event.getPayment().getId();
    return objectId + " " + event.getType();
  }

  private static List<String> keys(List<Event> events) {
    return events.stream().map(LiveTest::key).collect(Collectors.toList());
  }

  private static void assertInOrder(List<String> seen, List<String> expected) {
    int previous = -1;
    for (String key : expected) {
      int at = seen.indexOf(key);
      assertTrue(at > previous, key + " out of order in " + seen);
      assertEquals(at, seen.lastIndexOf(key), key + " repeated in " + seen);
      previous = at;
    }
  }

  /** The variables {@code scripts/test-clients} sets; the test cannot run without them. */
  private record Env(
      String target, String httpUrl, String apiKey, String webhookSecret, int webhookPort) {
    static Env load() {
      List<String> names = List.of(
          "TEST_PAYCORE_TARGET",
          "TEST_PAYCORE_HTTP_URL",
          "TEST_PAYCORE_API_KEY",
          "TEST_PAYCORE_WEBHOOK_SECRET",
          "TEST_PAYCORE_WEBHOOK_PORT");
      List<String> missing =
          names.stream()
              .filter(name -> System.getenv(name) == null || System.getenv(name).isBlank())
              .toList();
      if (!missing.isEmpty()) {
        fail(missing + " not set: run `scripts/test-clients java` from the repository root");
      }
      return new Env(
          System.getenv("TEST_PAYCORE_TARGET"),
          System.getenv("TEST_PAYCORE_HTTP_URL"),
          System.getenv("TEST_PAYCORE_API_KEY"),
          System.getenv("TEST_PAYCORE_WEBHOOK_SECRET"),
          Integer.parseInt(System.getenv("TEST_PAYCORE_WEBHOOK_PORT")));
    }
  }

  /** One webhook request as received: headers and the raw body bytes. */
  private record Delivery(Map<String, List<String>> headers, byte[] body) {
    JsonObject json() {
      return JsonParser.parseString(new String(body, UTF_8)).getAsJsonObject();
    }

    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no " + name + " header in " + headers));
    }
  }

  /** Records every POST /webhooks on 127.0.0.1 and answers 204. */
  private static final class WebhookReceiver implements AutoCloseable {
    private final HttpServer server;
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

    private WebhookReceiver(HttpServer server) {
      this.server = server;
    }

    static WebhookReceiver start(int port) throws IOException {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
      WebhookReceiver receiver = new WebhookReceiver(server);
      server.createContext("/webhooks", receiver::handle);
      server.start();
      return receiver;
    }

    private void handle(HttpExchange exchange) throws IOException {
      try (exchange) {
        if (!exchange.getRequestMethod().equals("POST")) {
          exchange.sendResponseHeaders(405, -1);
          return;
        }
        byte[] body = exchange.getRequestBody().readAllBytes();
        deliveries.add(new Delivery(Map.copyOf(exchange.getRequestHeaders()), body));
        exchange.sendResponseHeaders(204, -1);
      }
    }

    /** Waits up to {@link #WAIT} for a delivery that {@code wanted} accepts. */
    Delivery await(Predicate<Delivery> wanted) throws InterruptedException {
      Instant deadline = Instant.now().plus(WAIT);
      while (Instant.now().isBefore(deadline)) {
        for (Delivery delivery : deliveries) {
          if (wanted.test(delivery)) {
            return delivery;
          }
        }
        Thread.sleep(100);
      }
      throw new AssertionError(
          "no matching webhook within " + WAIT + "; received: "
              + deliveries.stream()
                  .map(d -> new String(d.body(), UTF_8))
                  .collect(Collectors.joining("\n")));
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
