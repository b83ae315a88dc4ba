package dev.paycore.client;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.Status;
import io.grpc.protobuf.StatusProto;
import java.util.List;
import java.util.Optional;

/**
 * Reads the rich error details paycore puts in a failed call's {@code google.rpc.Status}
 * (trailer {@code grpc-status-details-bin}).
 *
 * <p>Branch on {@link #reason}: it is stable across releases, unlike the status message.
 *
 * <pre>{@code
 * try {
 *   paycore.payments().createPayment(request);
 * } catch (StatusRuntimeException e) {
 *   if (PaycoreErrors.reason(e).orElse("").equals("IDEMPOTENCY_CONFLICT")) { ... }
 * }
 * }</pre>
 *
 * <p>Every method takes the exception a stub threw ({@code StatusRuntimeException} or {@code
 * StatusException}, possibly as the cause of another) and finds nothing in anything else.
 */
public final class PaycoreErrors {
  /** The {@code ErrorInfo.domain} of errors paycore itself reports. */
  public static final String DOMAIN = "paycore";

  private PaycoreErrors() {}

  /** The error's {@code google.rpc.ErrorInfo}, whatever its domain. */
  public static Optional<ErrorInfo> errorInfo(Throwable error) {
    return detail(error, ErrorInfo.class).stream().findFirst();
  }

  /**
   * paycore's stable reason, e.g. {@code "IDEMPOTENCY_CONFLICT"}; empty when the error does not
   * come from paycore (e.g. a proxy, or the connection failed).
   */
  public static Optional<String> reason(Throwable error) {
    return errorInfo(error)
        .filter(info -> DOMAIN.equals(info.getDomain()))
        .map(ErrorInfo::getReason);
  }

  /** Which request fields were invalid and why, from {@code google.rpc.BadRequest}. */
  public static List<BadRequest.FieldViolation> fieldViolations(Throwable error) {
    return detail(error, BadRequest.class).stream()
        .flatMap(badRequest -> badRequest.getFieldViolationsList().stream())
        .toList();
  }

  private static <T extends Message> List<T> detail(Throwable error, Class<T> type) {
    Status status = StatusProto.fromThrowable(error);
    if (status == null) {
      return List.of();
    }
    return status.getDetailsList().stream()
        .filter(any -> any.is(type))
        .flatMap(any -> unpack(any, type).stream())
        .toList();
  }

  // An undecodable detail counts as absent: error handling should not fail on its own.
  private static <T extends Message> Optional<T> unpack(Any any, Class<T> type) {
    try {
      return Optional.of(any.unpack(type));
    } catch (InvalidProtocolBufferException e) {
      return Optional.empty();
    }
  }
}
