package dev.paycore.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * Takes payments: create one, read it, list them, close it, or ask its channel for news.
 * Every call needs `authorization: Bearer &lt;api key&gt;` and only sees the calling merchant's
 * payments. Errors carry google.rpc.ErrorInfo (domain "paycore") with a stable reason.
 * </pre>
 */
@io.grpc.stub.annotations.GrpcGenerated
public final class PaymentServiceGrpc {

  private PaymentServiceGrpc() {}

  public static final java.lang.String SERVICE_NAME = "paycore.v1.PaymentService";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<dev.paycore.v1.CreatePaymentRequest,
      dev.paycore.v1.CreatePaymentResponse> getCreatePaymentMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "CreatePayment",
      requestType = dev.paycore.v1.CreatePaymentRequest.class,
      responseType = dev.paycore.v1.CreatePaymentResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.paycore.v1.CreatePaymentRequest,
      dev.paycore.v1.CreatePaymentResponse> getCreatePaymentMethod() {
    io.grpc.MethodDescriptor<dev.paycore.v1.CreatePaymentRequest, dev.paycore.v1.CreatePaymentResponse> getCreatePaymentMethod;
    if ((getCreatePaymentMethod = PaymentServiceGrpc.getCreatePaymentMethod) == null) {
      synchronized (PaymentServiceGrpc.class) {
        if ((getCreatePaymentMethod = PaymentServiceGrpc.getCreatePaymentMethod) == null) {
          PaymentServiceGrpc.getCreatePaymentMethod = getCreatePaymentMethod =
              io.grpc.MethodDescriptor.<dev.paycore.v1.CreatePaymentRequest, dev.paycore.v1.CreatePaymentResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "CreatePayment"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.CreatePaymentRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.CreatePaymentResponse.getDefaultInstance()))
              .setSchemaDescriptor(new PaymentServiceMethodDescriptorSupplier("CreatePayment"))
              .build();
        }
      }
    }
    return getCreatePaymentMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.paycore.v1.GetPaymentRequest,
      dev.paycore.v1.GetPaymentResponse> getGetPaymentMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetPayment",
      requestType = dev.paycore.v1.GetPaymentRequest.class,
      responseType = dev.paycore.v1.GetPaymentResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.paycore.v1.GetPaymentRequest,
      dev.paycore.v1.GetPaymentResponse> getGetPaymentMethod() {
    io.grpc.MethodDescriptor<dev.paycore.v1.GetPaymentRequest, dev.paycore.v1.GetPaymentResponse> getGetPaymentMethod;
    if ((getGetPaymentMethod = PaymentServiceGrpc.getGetPaymentMethod) == null) {
      synchronized (PaymentServiceGrpc.class) {
        if ((getGetPaymentMethod = PaymentServiceGrpc.getGetPaymentMethod) == null) {
          PaymentServiceGrpc.getGetPaymentMethod = getGetPaymentMethod =
              io.grpc.MethodDescriptor.<dev.paycore.v1.GetPaymentRequest, dev.paycore.v1.GetPaymentResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetPayment"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.GetPaymentRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.GetPaymentResponse.getDefaultInstance()))
              .setSchemaDescriptor(new PaymentServiceMethodDescriptorSupplier("GetPayment"))
              .build();
        }
      }
    }
    return getGetPaymentMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.paycore.v1.ListPaymentsRequest,
      dev.paycore.v1.ListPaymentsResponse> getListPaymentsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListPayments",
      requestType = dev.paycore.v1.ListPaymentsRequest.class,
      responseType = dev.paycore.v1.ListPaymentsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.paycore.v1.ListPaymentsRequest,
      dev.paycore.v1.ListPaymentsResponse> getListPaymentsMethod() {
    io.grpc.MethodDescriptor<dev.paycore.v1.ListPaymentsRequest, dev.paycore.v1.ListPaymentsResponse> getListPaymentsMethod;
    if ((getListPaymentsMethod = PaymentServiceGrpc.getListPaymentsMethod) == null) {
      synchronized (PaymentServiceGrpc.class) {
        if ((getListPaymentsMethod = PaymentServiceGrpc.getListPaymentsMethod) == null) {
          PaymentServiceGrpc.getListPaymentsMethod = getListPaymentsMethod =
              io.grpc.MethodDescriptor.<dev.paycore.v1.ListPaymentsRequest, dev.paycore.v1.ListPaymentsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListPayments"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.ListPaymentsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.ListPaymentsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new PaymentServiceMethodDescriptorSupplier("ListPayments"))
              .build();
        }
      }
    }
    return getListPaymentsMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.paycore.v1.ClosePaymentRequest,
      dev.paycore.v1.ClosePaymentResponse> getClosePaymentMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ClosePayment",
      requestType = dev.paycore.v1.ClosePaymentRequest.class,
      responseType = dev.paycore.v1.ClosePaymentResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.paycore.v1.ClosePaymentRequest,
      dev.paycore.v1.ClosePaymentResponse> getClosePaymentMethod() {
    io.grpc.MethodDescriptor<dev.paycore.v1.ClosePaymentRequest, dev.paycore.v1.ClosePaymentResponse> getClosePaymentMethod;
    if ((getClosePaymentMethod = PaymentServiceGrpc.getClosePaymentMethod) == null) {
      synchronized (PaymentServiceGrpc.class) {
        if ((getClosePaymentMethod = PaymentServiceGrpc.getClosePaymentMethod) == null) {
          PaymentServiceGrpc.getClosePaymentMethod = getClosePaymentMethod =
              io.grpc.MethodDescriptor.<dev.paycore.v1.ClosePaymentRequest, dev.paycore.v1.ClosePaymentResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ClosePayment"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.ClosePaymentRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.ClosePaymentResponse.getDefaultInstance()))
              .setSchemaDescriptor(new PaymentServiceMethodDescriptorSupplier("ClosePayment"))
              .build();
        }
      }
    }
    return getClosePaymentMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.paycore.v1.SyncPaymentRequest,
      dev.paycore.v1.SyncPaymentResponse> getSyncPaymentMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "SyncPayment",
      requestType = dev.paycore.v1.SyncPaymentRequest.class,
      responseType = dev.paycore.v1.SyncPaymentResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.paycore.v1.SyncPaymentRequest,
      dev.paycore.v1.SyncPaymentResponse> getSyncPaymentMethod() {
    io.grpc.MethodDescriptor<dev.paycore.v1.SyncPaymentRequest, dev.paycore.v1.SyncPaymentResponse> getSyncPaymentMethod;
    if ((getSyncPaymentMethod = PaymentServiceGrpc.getSyncPaymentMethod) == null) {
      synchronized (PaymentServiceGrpc.class) {
        if ((getSyncPaymentMethod = PaymentServiceGrpc.getSyncPaymentMethod) == null) {
          PaymentServiceGrpc.getSyncPaymentMethod = getSyncPaymentMethod =
              io.grpc.MethodDescriptor.<dev.paycore.v1.SyncPaymentRequest, dev.paycore.v1.SyncPaymentResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "SyncPayment"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.SyncPaymentRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.SyncPaymentResponse.getDefaultInstance()))
              .setSchemaDescriptor(new PaymentServiceMethodDescriptorSupplier("SyncPayment"))
              .build();
        }
      }
    }
    return getSyncPaymentMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static PaymentServiceStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<PaymentServiceStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<PaymentServiceStub>() {
        @java.lang.Override
        public PaymentServiceStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new PaymentServiceStub(channel, callOptions);
        }
      };
    return PaymentServiceStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports all types of calls on the service
   */
  public static PaymentServiceBlockingV2Stub newBlockingV2Stub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<PaymentServiceBlockingV2Stub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<PaymentServiceBlockingV2Stub>() {
        @java.lang.Override
        public PaymentServiceBlockingV2Stub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new PaymentServiceBlockingV2Stub(channel, callOptions);
        }
      };
    return PaymentServiceBlockingV2Stub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static PaymentServiceBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<PaymentServiceBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<PaymentServiceBlockingStub>() {
        @java.lang.Override
        public PaymentServiceBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new PaymentServiceBlockingStub(channel, callOptions);
        }
      };
    return PaymentServiceBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static PaymentServiceFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<PaymentServiceFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<PaymentServiceFutureStub>() {
        @java.lang.Override
        public PaymentServiceFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new PaymentServiceFutureStub(channel, callOptions);
        }
      };
    return PaymentServiceFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * Takes payments: create one, read it, list them, close it, or ask its channel for news.
   * Every call needs `authorization: Bearer &lt;api key&gt;` and only sees the calling merchant's
   * payments. Errors carry google.rpc.ErrorInfo (domain "paycore") with a stable reason.
   * </pre>
   */
  public interface AsyncService {

    /**
     * <pre>
     * Creates a payment and places it at a channel. Idempotent on merchant_order_id: the same
     * id with the same parameters returns the existing payment; with other parameters it fails
     * with ALREADY_EXISTS / IDEMPOTENCY_CONFLICT. When no channel could take the payment it
     * fails with UNAVAILABLE / CHANNELS_UNAVAILABLE and the same merchant_order_id may be retried.
     * </pre>
     */
    default void createPayment(dev.paycore.v1.CreatePaymentRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.CreatePaymentResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getCreatePaymentMethod(), responseObserver);
    }

    /**
     * <pre>
     * Reads one payment by id or by merchant_order_id.
     * </pre>
     */
    default void getPayment(dev.paycore.v1.GetPaymentRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.GetPaymentResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetPaymentMethod(), responseObserver);
    }

    /**
     * <pre>
     * Lists payments newest first. Pages are stable while new payments are being created.
     * </pre>
     */
    default void listPayments(dev.paycore.v1.ListPaymentsRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.ListPaymentsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListPaymentsMethod(), responseObserver);
    }

    /**
     * <pre>
     * Closes a payment that has not been paid, at the channel and locally, so the buyer can no
     * longer pay it. Closing a succeeded payment fails with PAYMENT_ALREADY_SUCCEEDED.
     * </pre>
     */
    default void closePayment(dev.paycore.v1.ClosePaymentRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.ClosePaymentResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getClosePaymentMethod(), responseObserver);
    }

    /**
     * <pre>
     * Asks the payment's channel for its current state now and applies what it says.
     * </pre>
     */
    default void syncPayment(dev.paycore.v1.SyncPaymentRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.SyncPaymentResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getSyncPaymentMethod(), responseObserver);
    }
  }

  /**
   * Base class for the server implementation of the service PaymentService.
   * <pre>
   * Takes payments: create one, read it, list them, close it, or ask its channel for news.
   * Every call needs `authorization: Bearer &lt;api key&gt;` and only sees the calling merchant's
   * payments. Errors carry google.rpc.ErrorInfo (domain "paycore") with a stable reason.
   * </pre>
   */
  public static abstract class PaymentServiceImplBase
      implements io.grpc.BindableService, AsyncService {

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return PaymentServiceGrpc.bindService(this);
    }
  }

  /**
   * A stub to allow clients to do asynchronous rpc calls to service PaymentService.
   * <pre>
   * Takes payments: create one, read it, list them, close it, or ask its channel for news.
   * Every call needs `authorization: Bearer &lt;api key&gt;` and only sees the calling merchant's
   * payments. Errors carry google.rpc.ErrorInfo (domain "paycore") with a stable reason.
   * </pre>
   */
  public static final class PaymentServiceStub
      extends io.grpc.stub.AbstractAsyncStub<PaymentServiceStub> {
    private PaymentServiceStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected PaymentServiceStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new PaymentServiceStub(channel, callOptions);
    }

    /**
     * <pre>
     * Creates a payment and places it at a channel. Idempotent on merchant_order_id: the same
     * id with the same parameters returns the existing payment; with other parameters it fails
     * with ALREADY_EXISTS / IDEMPOTENCY_CONFLICT. When no channel could take the payment it
     * fails with UNAVAILABLE / CHANNELS_UNAVAILABLE and the same merchant_order_id may be retried.
     * </pre>
     */
    public void createPayment(dev.paycore.v1.CreatePaymentRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.CreatePaymentResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getCreatePaymentMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Reads one payment by id or by merchant_order_id.
     * </pre>
     */
    public void getPayment(dev.paycore.v1.GetPaymentRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.GetPaymentResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetPaymentMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Lists payments newest first. Pages are stable while new payments are being created.
     * </pre>
     */
    public void listPayments(dev.paycore.v1.ListPaymentsRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.ListPaymentsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListPaymentsMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Closes a payment that has not been paid, at the channel and locally, so the buyer can no
     * longer pay it. Closing a succeeded payment fails with PAYMENT_ALREADY_SUCCEEDED.
     * </pre>
     */
    public void closePayment(dev.paycore.v1.ClosePaymentRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.ClosePaymentResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getClosePaymentMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Asks the payment's channel for its current state now and applies what it says.
     * </pre>
     */
    public void syncPayment(dev.paycore.v1.SyncPaymentRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.SyncPaymentResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getSyncPaymentMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * A stub to allow clients to do synchronous rpc calls to service PaymentService.
   * <pre>
   * Takes payments: create one, read it, list them, close it, or ask its channel for news.
   * Every call needs `authorization: Bearer &lt;api key&gt;` and only sees the calling merchant's
   * payments. Errors carry google.rpc.ErrorInfo (domain "paycore") with a stable reason.
   * </pre>
   */
  public static final class PaymentServiceBlockingV2Stub
      extends io.grpc.stub.AbstractBlockingStub<PaymentServiceBlockingV2Stub> {
    private PaymentServiceBlockingV2Stub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected PaymentServiceBlockingV2Stub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new PaymentServiceBlockingV2Stub(channel, callOptions);
    }

    /**
     * <pre>
     * Creates a payment and places it at a channel. Idempotent on merchant_order_id: the same
     * id with the same parameters returns the existing payment; with other parameters it fails
     * with ALREADY_EXISTS / IDEMPOTENCY_CONFLICT. When no channel could take the payment it
     * fails with UNAVAILABLE / CHANNELS_UNAVAILABLE and the same merchant_order_id may be retried.
     * </pre>
     */
    public dev.paycore.v1.CreatePaymentResponse createPayment(dev.paycore.v1.CreatePaymentRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getCreatePaymentMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Reads one payment by id or by merchant_order_id.
     * </pre>
     */
    public dev.paycore.v1.GetPaymentResponse getPayment(dev.paycore.v1.GetPaymentRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getGetPaymentMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Lists payments newest first. Pages are stable while new payments are being created.
     * </pre>
     */
    public dev.paycore.v1.ListPaymentsResponse listPayments(dev.paycore.v1.ListPaymentsRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getListPaymentsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Closes a payment that has not been paid, at the channel and locally, so the buyer can no
     * longer pay it. Closing a succeeded payment fails with PAYMENT_ALREADY_SUCCEEDED.
     * </pre>
     */
    public dev.paycore.v1.ClosePaymentResponse closePayment(dev.paycore.v1.ClosePaymentRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getClosePaymentMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Asks the payment's channel for its current state now and applies what it says.
     * </pre>
     */
    public dev.paycore.v1.SyncPaymentResponse syncPayment(dev.paycore.v1.SyncPaymentRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getSyncPaymentMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do limited synchronous rpc calls to service PaymentService.
   * <pre>
   * Takes payments: create one, read it, list them, close it, or ask its channel for news.
   * Every call needs `authorization: Bearer &lt;api key&gt;` and only sees the calling merchant's
   * payments. Errors carry google.rpc.ErrorInfo (domain "paycore") with a stable reason.
   * </pre>
   */
  public static final class PaymentServiceBlockingStub
      extends io.grpc.stub.AbstractBlockingStub<PaymentServiceBlockingStub> {
    private PaymentServiceBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected PaymentServiceBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new PaymentServiceBlockingStub(channel, callOptions);
    }

    /**
     * <pre>
     * Creates a payment and places it at a channel. Idempotent on merchant_order_id: the same
     * id with the same parameters returns the existing payment; with other parameters it fails
     * with ALREADY_EXISTS / IDEMPOTENCY_CONFLICT. When no channel could take the payment it
     * fails with UNAVAILABLE / CHANNELS_UNAVAILABLE and the same merchant_order_id may be retried.
     * </pre>
     */
    public dev.paycore.v1.CreatePaymentResponse createPayment(dev.paycore.v1.CreatePaymentRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getCreatePaymentMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Reads one payment by id or by merchant_order_id.
     * </pre>
     */
    public dev.paycore.v1.GetPaymentResponse getPayment(dev.paycore.v1.GetPaymentRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetPaymentMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Lists payments newest first. Pages are stable while new payments are being created.
     * </pre>
     */
    public dev.paycore.v1.ListPaymentsResponse listPayments(dev.paycore.v1.ListPaymentsRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListPaymentsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Closes a payment that has not been paid, at the channel and locally, so the buyer can no
     * longer pay it. Closing a succeeded payment fails with PAYMENT_ALREADY_SUCCEEDED.
     * </pre>
     */
    public dev.paycore.v1.ClosePaymentResponse closePayment(dev.paycore.v1.ClosePaymentRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getClosePaymentMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Asks the payment's channel for its current state now and applies what it says.
     * </pre>
     */
    public dev.paycore.v1.SyncPaymentResponse syncPayment(dev.paycore.v1.SyncPaymentRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getSyncPaymentMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do ListenableFuture-style rpc calls to service PaymentService.
   * <pre>
   * Takes payments: create one, read it, list them, close it, or ask its channel for news.
   * Every call needs `authorization: Bearer &lt;api key&gt;` and only sees the calling merchant's
   * payments. Errors carry google.rpc.ErrorInfo (domain "paycore") with a stable reason.
   * </pre>
   */
  public static final class PaymentServiceFutureStub
      extends io.grpc.stub.AbstractFutureStub<PaymentServiceFutureStub> {
    private PaymentServiceFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected PaymentServiceFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new PaymentServiceFutureStub(channel, callOptions);
    }

    /**
     * <pre>
     * Creates a payment and places it at a channel. Idempotent on merchant_order_id: the same
     * id with the same parameters returns the existing payment; with other parameters it fails
     * with ALREADY_EXISTS / IDEMPOTENCY_CONFLICT. When no channel could take the payment it
     * fails with UNAVAILABLE / CHANNELS_UNAVAILABLE and the same merchant_order_id may be retried.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.paycore.v1.CreatePaymentResponse> createPayment(
        dev.paycore.v1.CreatePaymentRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getCreatePaymentMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Reads one payment by id or by merchant_order_id.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.paycore.v1.GetPaymentResponse> getPayment(
        dev.paycore.v1.GetPaymentRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetPaymentMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Lists payments newest first. Pages are stable while new payments are being created.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.paycore.v1.ListPaymentsResponse> listPayments(
        dev.paycore.v1.ListPaymentsRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListPaymentsMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Closes a payment that has not been paid, at the channel and locally, so the buyer can no
     * longer pay it. Closing a succeeded payment fails with PAYMENT_ALREADY_SUCCEEDED.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.paycore.v1.ClosePaymentResponse> closePayment(
        dev.paycore.v1.ClosePaymentRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getClosePaymentMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Asks the payment's channel for its current state now and applies what it says.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.paycore.v1.SyncPaymentResponse> syncPayment(
        dev.paycore.v1.SyncPaymentRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getSyncPaymentMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_CREATE_PAYMENT = 0;
  private static final int METHODID_GET_PAYMENT = 1;
  private static final int METHODID_LIST_PAYMENTS = 2;
  private static final int METHODID_CLOSE_PAYMENT = 3;
  private static final int METHODID_SYNC_PAYMENT = 4;

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
        case METHODID_CREATE_PAYMENT:
          serviceImpl.createPayment((dev.paycore.v1.CreatePaymentRequest) request,
              (io.grpc.stub.StreamObserver<dev.paycore.v1.CreatePaymentResponse>) responseObserver);
          break;
        case METHODID_GET_PAYMENT:
          serviceImpl.getPayment((dev.paycore.v1.GetPaymentRequest) request,
              (io.grpc.stub.StreamObserver<dev.paycore.v1.GetPaymentResponse>) responseObserver);
          break;
        case METHODID_LIST_PAYMENTS:
          serviceImpl.listPayments((dev.paycore.v1.ListPaymentsRequest) request,
              (io.grpc.stub.StreamObserver<dev.paycore.v1.ListPaymentsResponse>) responseObserver);
          break;
        case METHODID_CLOSE_PAYMENT:
          serviceImpl.closePayment((dev.paycore.v1.ClosePaymentRequest) request,
              (io.grpc.stub.StreamObserver<dev.paycore.v1.ClosePaymentResponse>) responseObserver);
          break;
        case METHODID_SYNC_PAYMENT:
          serviceImpl.syncPayment((dev.paycore.v1.SyncPaymentRequest) request,
              (io.grpc.stub.StreamObserver<dev.paycore.v1.SyncPaymentResponse>) responseObserver);
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
          getCreatePaymentMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.paycore.v1.CreatePaymentRequest,
              dev.paycore.v1.CreatePaymentResponse>(
                service, METHODID_CREATE_PAYMENT)))
        .addMethod(
          getGetPaymentMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.paycore.v1.GetPaymentRequest,
              dev.paycore.v1.GetPaymentResponse>(
                service, METHODID_GET_PAYMENT)))
        .addMethod(
          getListPaymentsMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.paycore.v1.ListPaymentsRequest,
              dev.paycore.v1.ListPaymentsResponse>(
                service, METHODID_LIST_PAYMENTS)))
        .addMethod(
          getClosePaymentMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.paycore.v1.ClosePaymentRequest,
              dev.paycore.v1.ClosePaymentResponse>(
                service, METHODID_CLOSE_PAYMENT)))
        .addMethod(
          getSyncPaymentMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.paycore.v1.SyncPaymentRequest,
              dev.paycore.v1.SyncPaymentResponse>(
                service, METHODID_SYNC_PAYMENT)))
        .build();
  }

  private static abstract class PaymentServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    PaymentServiceBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return dev.paycore.v1.PaymentProto.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("PaymentService");
    }
  }

  private static final class PaymentServiceFileDescriptorSupplier
      extends PaymentServiceBaseDescriptorSupplier {
    PaymentServiceFileDescriptorSupplier() {}
  }

  private static final class PaymentServiceMethodDescriptorSupplier
      extends PaymentServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final java.lang.String methodName;

    PaymentServiceMethodDescriptorSupplier(java.lang.String methodName) {
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
      synchronized (PaymentServiceGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new PaymentServiceFileDescriptorSupplier())
              .addMethod(getCreatePaymentMethod())
              .addMethod(getGetPaymentMethod())
              .addMethod(getListPaymentsMethod())
              .addMethod(getClosePaymentMethod())
              .addMethod(getSyncPaymentMethod())
              .build();
        }
      }
    }
    return result;
  }
}
