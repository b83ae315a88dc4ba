package dev.paycore.client;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Sends a merchant's API key with every call as {@code authorization: Bearer <key>}.
 *
 * <p>Attach it to any stub with {@code stub.withCallCredentials(new PaycoreCredentials(key))}.
 * It does not insist on a secure transport, so it works on plaintext channels as well; outside
 * a trusted network, give the channel TLS so the key is not sent in the clear.
 */
public final class PaycoreCredentials extends CallCredentials {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final String authorization;

  /**
   * @param apiKey the merchant's API key ({@code pk_…})
   * @throws IllegalArgumentException if the key is blank
   */
  public PaycoreCredentials(String apiKey) {
    Objects.requireNonNull(apiKey, "apiKey");
    if (apiKey.isBlank()) {
      throw new IllegalArgumentException("apiKey is blank");
    }
    authorization = "Bearer " + apiKey;
  }

  @Override
  public void applyRequestMetadata(
      RequestInfo requestInfo, Executor appExecutor, MetadataApplier applier) {
    Metadata headers = new Metadata();
    headers.put(AUTHORIZATION, authorization);
    applier.apply(headers);
  }
}
