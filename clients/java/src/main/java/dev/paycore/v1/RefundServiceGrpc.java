package dev.paycore.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * Gives money back. A refund goes to the channel that took the payment; the refunds of a
 * payment that have not failed never add up to more than it was paid.
 * </pre>
 */
@io.grpc.stub.annotations.GrpcGenerated
public final class RefundServiceGrpc {

  private RefundServiceGrpc() {}

  public static final java.lang.String SERVICE_NAME = "paycore.v1.RefundService";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<dev.paycore.v1.CreateRefundRequest,
      dev.paycore.v1.CreateRefundResponse> getCreateRefundMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "CreateRefund",
      requestType = dev.paycore.v1.CreateRefundRequest.class,
      responseType = dev.paycore.v1.CreateRefundResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.paycore.v1.CreateRefundRequest,
      dev.paycore.v1.CreateRefundResponse> getCreateRefundMethod() {
    io.grpc.MethodDescriptor<dev.paycore.v1.CreateRefundRequest, dev.paycore.v1.CreateRefundResponse> getCreateRefundMethod;
    if ((getCreateRefundMethod = RefundServiceGrpc.getCreateRefundMethod) == null) {
      synchronized (RefundServiceGrpc.class) {
        if ((getCreateRefundMethod = RefundServiceGrpc.getCreateRefundMethod) == null) {
          RefundServiceGrpc.getCreateRefundMethod = getCreateRefundMethod =
              io.grpc.MethodDescriptor.<dev.paycore.v1.CreateRefundRequest, dev.paycore.v1.CreateRefundResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "CreateRefund"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.CreateRefundRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.CreateRefundResponse.getDefaultInstance()))
              .setSchemaDescriptor(new RefundServiceMethodDescriptorSupplier("CreateRefund"))
              .build();
        }
      }
    }
    return getCreateRefundMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.paycore.v1.GetRefundRequest,
      dev.paycore.v1.GetRefundResponse> getGetRefundMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetRefund",
      requestType = dev.paycore.v1.GetRefundRequest.class,
      responseType = dev.paycore.v1.GetRefundResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.paycore.v1.GetRefundRequest,
      dev.paycore.v1.GetRefundResponse> getGetRefundMethod() {
    io.grpc.MethodDescriptor<dev.paycore.v1.GetRefundRequest, dev.paycore.v1.GetRefundResponse> getGetRefundMethod;
    if ((getGetRefundMethod = RefundServiceGrpc.getGetRefundMethod) == null) {
      synchronized (RefundServiceGrpc.class) {
        if ((getGetRefundMethod = RefundServiceGrpc.getGetRefundMethod) == null) {
          RefundServiceGrpc.getGetRefundMethod = getGetRefundMethod =
              io.grpc.MethodDescriptor.<dev.paycore.v1.GetRefundRequest, dev.paycore.v1.GetRefundResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetRefund"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.GetRefundRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.GetRefundResponse.getDefaultInstance()))
              .setSchemaDescriptor(new RefundServiceMethodDescriptorSupplier("GetRefund"))
              .build();
        }
      }
    }
    return getGetRefundMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.paycore.v1.ListRefundsRequest,
      dev.paycore.v1.ListRefundsResponse> getListRefundsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListRefunds",
      requestType = dev.paycore.v1.ListRefundsRequest.class,
      responseType = dev.paycore.v1.ListRefundsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.paycore.v1.ListRefundsRequest,
      dev.paycore.v1.ListRefundsResponse> getListRefundsMethod() {
    io.grpc.MethodDescriptor<dev.paycore.v1.ListRefundsRequest, dev.paycore.v1.ListRefundsResponse> getListRefundsMethod;
    if ((getListRefundsMethod = RefundServiceGrpc.getListRefundsMethod) == null) {
      synchronized (RefundServiceGrpc.class) {
        if ((getListRefundsMethod = RefundServiceGrpc.getListRefundsMethod) == null) {
          RefundServiceGrpc.getListRefundsMethod = getListRefundsMethod =
              io.grpc.MethodDescriptor.<dev.paycore.v1.ListRefundsRequest, dev.paycore.v1.ListRefundsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListRefunds"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.ListRefundsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.ListRefundsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new RefundServiceMethodDescriptorSupplier("ListRefunds"))
              .build();
        }
      }
    }
    return getListRefundsMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static RefundServiceStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<RefundServiceStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<RefundServiceStub>() {
        @java.lang.Override
        public RefundServiceStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new RefundServiceStub(channel, callOptions);
        }
      };
    return RefundServiceStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports all types of calls on the service
   */
  public static RefundServiceBlockingV2Stub newBlockingV2Stub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<RefundServiceBlockingV2Stub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<RefundServiceBlockingV2Stub>() {
        @java.lang.Override
        public RefundServiceBlockingV2Stub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new RefundServiceBlockingV2Stub(channel, callOptions);
        }
      };
    return RefundServiceBlockingV2Stub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static RefundServiceBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<RefundServiceBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<RefundServiceBlockingStub>() {
        @java.lang.Override
        public RefundServiceBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new RefundServiceBlockingStub(channel, callOptions);
        }
      };
    return RefundServiceBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static RefundServiceFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<RefundServiceFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<RefundServiceFutureStub>() {
        @java.lang.Override
        public RefundServiceFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new RefundServiceFutureStub(channel, callOptions);
        }
      };
    return RefundServiceFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * Gives money back. A refund goes to the channel that took the payment; the refunds of a
   * payment that have not failed never add up to more than it was paid.
   * </pre>
   */
  public interface AsyncService {

    /**
     * <pre>
     * Refunds all or part of a succeeded payment, or of one paid after close (see
     * Payment.paid_after_close). Idempotent on merchant_refund_id: the same id
     * with the same parameters returns the existing refund; with other parameters it fails with
     * ALREADY_EXISTS / IDEMPOTENCY_CONFLICT. More than is left fails with FAILED_PRECONDITION /
     * REFUND_EXCEEDS_AVAILABLE.
     * </pre>
     */
    default void createRefund(dev.paycore.v1.CreateRefundRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.CreateRefundResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getCreateRefundMethod(), responseObserver);
    }

    /**
     * <pre>
     * Reads one refund by id or merchant_refund_id.
     * </pre>
     */
    default void getRefund(dev.paycore.v1.GetRefundRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.GetRefundResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetRefundMethod(), responseObserver);
    }

    /**
     * <pre>
     * Lists refunds newest first, optionally of one payment.
     * </pre>
     */
    default void listRefunds(dev.paycore.v1.ListRefundsRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.ListRefundsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListRefundsMethod(), responseObserver);
    }
  }

  /**
   * Base class for the server implementation of the service RefundService.
   * <pre>
   * Gives money back. A refund goes to the channel that took the payment; the refunds of a
   * payment that have not failed never add up to more than it was paid.
   * </pre>
   */
  public static abstract class RefundServiceImplBase
      implements io.grpc.BindableService, AsyncService {

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return RefundServiceGrpc.bindService(this);
    }
  }

  /**
   * A stub to allow clients to do asynchronous rpc calls to service RefundService.
   * <pre>
   * Gives money back. A refund goes to the channel that took the payment; the refunds of a
   * payment that have not failed never add up to more than it was paid.
   * </pre>
   */
  public static final class RefundServiceStub
      extends io.grpc.stub.AbstractAsyncStub<RefundServiceStub> {
    private RefundServiceStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected RefundServiceStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new RefundServiceStub(channel, callOptions);
    }

    /**
     * <pre>
     * Refunds all or part of a succeeded payment, or of one paid after close (see
     * Payment.paid_after_close). Idempotent on merchant_refund_id: the same id
     * with the same parameters returns the existing refund; with other parameters it fails with
     * ALREADY_EXISTS / IDEMPOTENCY_CONFLICT. More than is left fails with FAILED_PRECONDITION /
     * REFUND_EXCEEDS_AVAILABLE.
     * </pre>
     */
    public void createRefund(dev.paycore.v1.CreateRefundRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.CreateRefundResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getCreateRefundMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Reads one refund by id or merchant_refund_id.
     * </pre>
     */
    public void getRefund(dev.paycore.v1.GetRefundRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.GetRefundResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetRefundMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Lists refunds newest first, optionally of one payment.
     * </pre>
     */
    public void listRefunds(dev.paycore.v1.ListRefundsRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.ListRefundsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListRefundsMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * A stub to allow clients to do synchronous rpc calls to service RefundService.
   * <pre>
   * Gives money back. A refund goes to the channel that took the payment; the refunds of a
   * payment that have not failed never add up to more than it was paid.
   * </pre>
   */
  public static final class RefundServiceBlockingV2Stub
      extends io.grpc.stub.AbstractBlockingStub<RefundServiceBlockingV2Stub> {
    private RefundServiceBlockingV2Stub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected RefundServiceBlockingV2Stub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new RefundServiceBlockingV2Stub(channel, callOptions);
    }

    /**
     * <pre>
     * Refunds all or part of a succeeded payment, or of one paid after close (see
     * Payment.paid_after_close). Idempotent on merchant_refund_id: the same id
     * with the same parameters returns the existing refund; with other parameters it fails with
     * ALREADY_EXISTS / IDEMPOTENCY_CONFLICT. More than is left fails with FAILED_PRECONDITION /
     * REFUND_EXCEEDS_AVAILABLE.
     * </pre>
     */
    public dev.paycore.v1.CreateRefundResponse createRefund(dev.paycore.v1.CreateRefundRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getCreateRefundMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Reads one refund by id or merchant_refund_id.
     * </pre>
     */
    public dev.paycore.v1.GetRefundResponse getRefund(dev.paycore.v1.GetRefundRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getGetRefundMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Lists refunds newest first, optionally of one payment.
     * </pre>
     */
    public dev.paycore.v1.ListRefundsResponse listRefunds(dev.paycore.v1.ListRefundsRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getListRefundsMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do limited synchronous rpc calls to service RefundService.
   * <pre>
   * Gives money back. A refund goes to the channel that took the payment; the refunds of a
   * payment that have not failed never add up to more than it was paid.
   * </pre>
   */
  public static final class RefundServiceBlockingStub
      extends io.grpc.stub.AbstractBlockingStub<RefundServiceBlockingStub> {
    private RefundServiceBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected RefundServiceBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new RefundServiceBlockingStub(channel, callOptions);
    }

    /**
     * <pre>
     * Refunds all or part of a succeeded payment, or of one paid after close (see
     * Payment.paid_after_close). Idempotent on merchant_refund_id: the same id
     * with the same parameters returns the existing refund; with other parameters it fails with
     * ALREADY_EXISTS / IDEMPOTENCY_CONFLICT. More than is left fails with FAILED_PRECONDITION /
     * REFUND_EXCEEDS_AVAILABLE.
     * </pre>
     */
    public dev.paycore.v1.CreateRefundResponse createRefund(dev.paycore.v1.CreateRefundRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getCreateRefundMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Reads one refund by id or merchant_refund_id.
     * </pre>
     */
    public dev.paycore.v1.GetRefundResponse getRefund(dev.paycore.v1.GetRefundRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetRefundMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Lists refunds newest first, optionally of one payment.
     * </pre>
     */
    public dev.paycore.v1.ListRefundsResponse listRefunds(dev.paycore.v1.ListRefundsRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListRefundsMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do ListenableFuture-style rpc calls to service RefundService.
   * <pre>
   * Gives money back. A refund goes to the channel that took the payment; the refunds of a
   * payment that have not failed never add up to more than it was paid.
   * </pre>
   */
  public static final class RefundServiceFutureStub
      extends io.grpc.stub.AbstractFutureStub<RefundServiceFutureStub> {
    private RefundServiceFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected RefundServiceFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new RefundServiceFutureStub(channel, callOptions);
    }

    /**
     * <pre>
     * Refunds all or part of a succeeded payment, or of one paid after close (see
     * Payment.paid_after_close). Idempotent on merchant_refund_id: the same id
     * with the same parameters returns the existing refund; with other parameters it fails with
     * ALREADY_EXISTS / IDEMPOTENCY_CONFLICT. More than is left fails with FAILED_PRECONDITION /
     * REFUND_EXCEEDS_AVAILABLE.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.paycore.v1.CreateRefundResponse> createRefund(
        dev.paycore.v1.CreateRefundRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getCreateRefundMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Reads one refund by id or merchant_refund_id.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.paycore.v1.GetRefundResponse> getRefund(
        dev.paycore.v1.GetRefundRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetRefundMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Lists refunds newest first, optionally of one payment.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.paycore.v1.ListRefundsResponse> listRefunds(
        dev.paycore.v1.ListRefundsRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListRefundsMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_CREATE_REFUND = 0;
  private static final int METHODID_GET_REFUND = 1;
  private static final int METHODID_LIST_REFUNDS = 2;

  private static final class MethodHandlers<Req, Resp> implements
      io.grpc.stub.ServerCalls.UnaryMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ServerStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ClientStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.BidiStreamingMethod<Req, Resp> {
    private final AsyncService serviceImpl;
    private final int methodId;

    MethodHandlers(AsyncService serviceImpl, int methodId) {
      this.serviceImpl = serviceImpl;
      this.methodId = methodId;
    }

    @java.lang.Override
    @java.lang.SuppressWarnings("unchecked")
    public void invoke(Req request, io.grpc.stub.StreamObserver<Resp> responseObserver) {
      switch (methodId) {
        case METHODID_CREATE_REFUND:
          serviceImpl.createRefund((dev.paycore.v1.CreateRefundRequest) request,
              (io.grpc.stub.StreamObserver<dev.paycore.v1.CreateRefundResponse>) responseObserver);
          break;
        case METHODID_GET_REFUND:
          serviceImpl.getRefund((dev.paycore.v1.GetRefundRequest) request,
              (io.grpc.stub.StreamObserver<dev.paycore.v1.GetRefundResponse>) responseObserver);
          break;
        case METHODID_LIST_REFUNDS:
          serviceImpl.listRefunds((dev.paycore.v1.ListRefundsRequest) request,
              (io.grpc.stub.StreamObserver<dev.paycore.v1.ListRefundsResponse>) responseObserver);
          break;
        default:
          throw new AssertionError();
      }
    }

    @java.lang.Override
    @java.lang.SuppressWarnings("unchecked")
    public io.grpc.stub.StreamObserver<Req> invoke(
        io.grpc.stub.StreamObserver<Resp> responseObserver) {
      switch (methodId) {
        default:
          throw new AssertionError();
      }
    }
  }

  public static final io.grpc.ServerServiceDefinition bindService(AsyncService service) {
    return io.grpc.ServerServiceDefinition.builder(getServiceDescriptor())
        .addMethod(
          getCreateRefundMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.paycore.v1.CreateRefundRequest,
              dev.paycore.v1.CreateRefundResponse>(
                service, METHODID_CREATE_REFUND)))
        .addMethod(
          getGetRefundMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.paycore.v1.GetRefundRequest,
              dev.paycore.v1.GetRefundResponse>(
                service, METHODID_GET_REFUND)))
        .addMethod(
          getListRefundsMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.paycore.v1.ListRefundsRequest,
              dev.paycore.v1.ListRefundsResponse>(
                service, METHODID_LIST_REFUNDS)))
        .build();
  }

  private static abstract class RefundServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    RefundServiceBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return dev.paycore.v1.RefundProto.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("RefundService");
    }
  }

  private static final class RefundServiceFileDescriptorSupplier
      extends RefundServiceBaseDescriptorSupplier {
    RefundServiceFileDescriptorSupplier() {}
  }

  private static final class RefundServiceMethodDescriptorSupplier
      extends RefundServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final java.lang.String methodName;

    RefundServiceMethodDescriptorSupplier(java.lang.String methodName) {
      this.methodName = methodName;
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.MethodDescriptor getMethodDescriptor() {
      return getServiceDescriptor().findMethodByName(methodName);
    }
  }

  private static volatile io.grpc.ServiceDescriptor serviceDescriptor;

  public static io.grpc.ServiceDescriptor getServiceDescriptor() {
    io.grpc.ServiceDescriptor result = serviceDescriptor;
    if (result == null) {
      synchronized (RefundServiceGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new RefundServiceFileDescriptorSupplier())
              .addMethod(getCreateRefundMethod())
              .addMethod(getGetRefundMethod())
              .addMethod(getListRefundsMethod())
              .build();
        }
      }
    }
    return result;
  }
}
