package dev.paycore.client;

import dev.paycore.v1.NotifyServiceGrpc;
import dev.paycore.v1.PaymentServiceGrpc;
import dev.paycore.v1.RefundServiceGrpc;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A connection to paycore for one merchant: blocking stubs for payments, refunds and
 * notifications that all carry the merchant's API key.
 *
 * <p>Stubs are cheap; derive per-call variants such as {@code payments().withDeadlineAfter(5,
 * SECONDS)}. Closing shuts the channel down.
 */
public final class Paycore implements AutoCloseable {
  private static final long SHUTDOWN_GRACE_SECONDS = 5;

  private final ManagedChannel channel;
  private final PaymentServiceGrpc.PaymentServiceBlockingStub payments;
  private final RefundServiceGrpc.RefundServiceBlockingStub refunds;
  private final NotifyServiceGrpc.NotifyServiceBlockingStub notifications;

  private Paycore(ManagedChannel channel, String apiKey) {
    this.channel = Objects.requireNonNull(channel, "channel");
    PaycoreCredentials credentials = new PaycoreCredentials(apiKey);
    this.payments = PaymentServiceGrpc.newBlockingStub(channel).withCallCredentials(credentials);
    this.refunds = RefundServiceGrpc.newBlockingStub(channel).withCallCredentials(credentials);
    this.notifications =
        NotifyServiceGrpc.newBlockingStub(channel).withCallCredentials(credentials);
  }

  /** Connects to {@code target} ("host:port") without TLS, e.g. a paycore on the same host. */
  public static Paycore connect(String target, String apiKey) {
    return connect(target, InsecureChannelCredentials.create(), apiKey);
  }

  /**
   * Connects to {@code target} with the given channel credentials: {@link #tls(Path)} or {@link
   * #tls(Path, Path, Path)} for a private CA and mutual TLS, or {@code
   * TlsChannelCredentials.create()} for the JVM's default trust store.
   */
  public static Paycore connect(
      String target, ChannelCredentials channelCredentials, String apiKey) {
    return new Paycore(Grpc.newChannelBuilder(target, channelCredentials).build(), apiKey);
  }

  /**
   * TLS credentials that trust the CA certificates in the PEM file {@code caFile}, for a paycore
   * with {@code [server.tls]}. The server's certificate must name the host of the target.
   *
   * @throws IOException if the file cannot be read
   */
  public static ChannelCredentials tls(Path caFile) throws IOException {
    return TlsChannelCredentials.newBuilder().trustManager(caFile.toFile()).build();
  }

  /**
   * Mutual TLS: as {@link #tls(Path)}, and presents the client certificate in the PEM file
   * {@code certFile} (its chain, leaf first) with its private key in {@code keyFile}, a PEM
   * PKCS#8 key ({@code BEGIN PRIVATE KEY}), for a paycore whose {@code client_ca_file} issued it.
   *
   * @throws IOException if a file cannot be read
   */
  public static ChannelCredentials tls(Path caFile, Path certFile, Path keyFile)
      throws IOException {
    return TlsChannelCredentials.newBuilder()
        .trustManager(caFile.toFile())
        .keyManager(certFile.toFile(), keyFile.toFile())
        .build();
  }

  /** Uses a channel the caller built; {@link #close()} shuts it down. */
  public static Paycore using(ManagedChannel channel, String apiKey) {
    return new Paycore(channel, apiKey);
  }

  public PaymentServiceGrpc.PaymentServiceBlockingStub payments() {
    return payments;
  }

  public RefundServiceGrpc.RefundServiceBlockingStub refunds() {
    return refunds;
  }

  public NotifyServiceGrpc.NotifyServiceBlockingStub notifications() {
    return notifications;
  }

  /** Lets calls in progress finish for a few seconds, then cancels whatever is left. */
  @Override
  public void close() {
    channel.shutdown();
    try {
      if (!channel.awaitTermination(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      channel.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
