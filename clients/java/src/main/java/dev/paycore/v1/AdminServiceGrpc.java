package dev.paycore.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * Operator-only view and controls of the running node. Every call needs
 * `authorization: Bearer &lt;operator key&gt;`. Channel health (breaker, limiter, statistics) is
 * per node.
 * </pre>
 */
@io.grpc.stub.annotations.GrpcGenerated
public final class AdminServiceGrpc {

  private AdminServiceGrpc() {}

  public static final java.lang.String SERVICE_NAME = "paycore.v1.AdminService";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<dev.paycore.v1.ListChannelsRequest,
      dev.paycore.v1.ListChannelsResponse> getListChannelsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListChannels",
      requestType = dev.paycore.v1.ListChannelsRequest.class,
      responseType = dev.paycore.v1.ListChannelsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.paycore.v1.ListChannelsRequest,
      dev.paycore.v1.ListChannelsResponse> getListChannelsMethod() {
    io.grpc.MethodDescriptor<dev.paycore.v1.ListChannelsRequest, dev.paycore.v1.ListChannelsResponse> getListChannelsMethod;
    if ((getListChannelsMethod = AdminServiceGrpc.getListChannelsMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getListChannelsMethod = AdminServiceGrpc.getListChannelsMethod) == null) {
          AdminServiceGrpc.getListChannelsMethod = getListChannelsMethod =
              io.grpc.MethodDescriptor.<dev.paycore.v1.ListChannelsRequest, dev.paycore.v1.ListChannelsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListChannels"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.ListChannelsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.ListChannelsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("ListChannels"))
              .build();
        }
      }
    }
    return getListChannelsMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.paycore.v1.SetChannelEnabledRequest,
      dev.paycore.v1.SetChannelEnabledResponse> getSetChannelEnabledMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "SetChannelEnabled",
      requestType = dev.paycore.v1.SetChannelEnabledRequest.class,
      responseType = dev.paycore.v1.SetChannelEnabledResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.paycore.v1.SetChannelEnabledRequest,
      dev.paycore.v1.SetChannelEnabledResponse> getSetChannelEnabledMethod() {
    io.grpc.MethodDescriptor<dev.paycore.v1.SetChannelEnabledRequest, dev.paycore.v1.SetChannelEnabledResponse> getSetChannelEnabledMethod;
    if ((getSetChannelEnabledMethod = AdminServiceGrpc.getSetChannelEnabledMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getSetChannelEnabledMethod = AdminServiceGrpc.getSetChannelEnabledMethod) == null) {
          AdminServiceGrpc.getSetChannelEnabledMethod = getSetChannelEnabledMethod =
              io.grpc.MethodDescriptor.<dev.paycore.v1.SetChannelEnabledRequest, dev.paycore.v1.SetChannelEnabledResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "SetChannelEnabled"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.SetChannelEnabledRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.SetChannelEnabledResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("SetChannelEnabled"))
              .build();
        }
      }
    }
    return getSetChannelEnabledMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.paycore.v1.SetChannelFaultsRequest,
      dev.paycore.v1.SetChannelFaultsResponse> getSetChannelFaultsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "SetChannelFaults",
      requestType = dev.paycore.v1.SetChannelFaultsRequest.class,
      responseType = dev.paycore.v1.SetChannelFaultsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.paycore.v1.SetChannelFaultsRequest,
      dev.paycore.v1.SetChannelFaultsResponse> getSetChannelFaultsMethod() {
    io.grpc.MethodDescriptor<dev.paycore.v1.SetChannelFaultsRequest, dev.paycore.v1.SetChannelFaultsResponse> getSetChannelFaultsMethod;
    if ((getSetChannelFaultsMethod = AdminServiceGrpc.getSetChannelFaultsMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getSetChannelFaultsMethod = AdminServiceGrpc.getSetChannelFaultsMethod) == null) {
          AdminServiceGrpc.getSetChannelFaultsMethod = getSetChannelFaultsMethod =
              io.grpc.MethodDescriptor.<dev.paycore.v1.SetChannelFaultsRequest, dev.paycore.v1.SetChannelFaultsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "SetChannelFaults"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.SetChannelFaultsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.SetChannelFaultsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("SetChannelFaults"))
              .build();
        }
      }
    }
    return getSetChannelFaultsMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.paycore.v1.CreateMerchantRequest,
      dev.paycore.v1.CreateMerchantResponse> getCreateMerchantMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "CreateMerchant",
      requestType = dev.paycore.v1.CreateMerchantRequest.class,
      responseType = dev.paycore.v1.CreateMerchantResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.paycore.v1.CreateMerchantRequest,
      dev.paycore.v1.CreateMerchantResponse> getCreateMerchantMethod() {
    io.grpc.MethodDescriptor<dev.paycore.v1.CreateMerchantRequest, dev.paycore.v1.CreateMerchantResponse> getCreateMerchantMethod;
    if ((getCreateMerchantMethod = AdminServiceGrpc.getCreateMerchantMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getCreateMerchantMethod = AdminServiceGrpc.getCreateMerchantMethod) == null) {
          AdminServiceGrpc.getCreateMerchantMethod = getCreateMerchantMethod =
              io.grpc.MethodDescriptor.<dev.paycore.v1.CreateMerchantRequest, dev.paycore.v1.CreateMerchantResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "CreateMerchant"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.CreateMerchantRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.CreateMerchantResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("CreateMerchant"))
              .build();
        }
      }
    }
    return getCreateMerchantMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.paycore.v1.ListMerchantsRequest,
      dev.paycore.v1.ListMerchantsResponse> getListMerchantsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListMerchants",
      requestType = dev.paycore.v1.ListMerchantsRequest.class,
      responseType = dev.paycore.v1.ListMerchantsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.paycore.v1.ListMerchantsRequest,
      dev.paycore.v1.ListMerchantsResponse> getListMerchantsMethod() {
    io.grpc.MethodDescriptor<dev.paycore.v1.ListMerchantsRequest, dev.paycore.v1.ListMerchantsResponse> getListMerchantsMethod;
    if ((getListMerchantsMethod = AdminServiceGrpc.getListMerchantsMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getListMerchantsMethod = AdminServiceGrpc.getListMerchantsMethod) == null) {
          AdminServiceGrpc.getListMerchantsMethod = getListMerchantsMethod =
              io.grpc.MethodDescriptor.<dev.paycore.v1.ListMerchantsRequest, dev.paycore.v1.ListMerchantsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListMerchants"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.ListMerchantsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.ListMerchantsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("ListMerchants"))
              .build();
        }
      }
    }
    return getListMerchantsMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.paycore.v1.CreateApiKeyRequest,
      dev.paycore.v1.CreateApiKeyResponse> getCreateApiKeyMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "CreateApiKey",
      requestType = dev.paycore.v1.CreateApiKeyRequest.class,
      responseType = dev.paycore.v1.CreateApiKeyResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.paycore.v1.CreateApiKeyRequest,
      dev.paycore.v1.CreateApiKeyResponse> getCreateApiKeyMethod() {
    io.grpc.MethodDescriptor<dev.paycore.v1.CreateApiKeyRequest, dev.paycore.v1.CreateApiKeyResponse> getCreateApiKeyMethod;
    if ((getCreateApiKeyMethod = AdminServiceGrpc.getCreateApiKeyMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getCreateApiKeyMethod = AdminServiceGrpc.getCreateApiKeyMethod) == null) {
          AdminServiceGrpc.getCreateApiKeyMethod = getCreateApiKeyMethod =
              io.grpc.MethodDescriptor.<dev.paycore.v1.CreateApiKeyRequest, dev.paycore.v1.CreateApiKeyResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "CreateApiKey"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.CreateApiKeyRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.CreateApiKeyResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("CreateApiKey"))
              .build();
        }
      }
    }
    return getCreateApiKeyMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.paycore.v1.ListApiKeysRequest,
      dev.paycore.v1.ListApiKeysResponse> getListApiKeysMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListApiKeys",
      requestType = dev.paycore.v1.ListApiKeysRequest.class,
      responseType = dev.paycore.v1.ListApiKeysResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.paycore.v1.ListApiKeysRequest,
      dev.paycore.v1.ListApiKeysResponse> getListApiKeysMethod() {
    io.grpc.MethodDescriptor<dev.paycore.v1.ListApiKeysRequest, dev.paycore.v1.ListApiKeysResponse> getListApiKeysMethod;
    if ((getListApiKeysMethod = AdminServiceGrpc.getListApiKeysMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getListApiKeysMethod = AdminServiceGrpc.getListApiKeysMethod) == null) {
          AdminServiceGrpc.getListApiKeysMethod = getListApiKeysMethod =
              io.grpc.MethodDescriptor.<dev.paycore.v1.ListApiKeysRequest, dev.paycore.v1.ListApiKeysResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListApiKeys"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.ListApiKeysRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.ListApiKeysResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("ListApiKeys"))
              .build();
        }
      }
    }
    return getListApiKeysMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.paycore.v1.RevokeApiKeyRequest,
      dev.paycore.v1.RevokeApiKeyResponse> getRevokeApiKeyMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "RevokeApiKey",
      requestType = dev.paycore.v1.RevokeApiKeyRequest.class,
      responseType = dev.paycore.v1.RevokeApiKeyResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.paycore.v1.RevokeApiKeyRequest,
      dev.paycore.v1.RevokeApiKeyResponse> getRevokeApiKeyMethod() {
    io.grpc.MethodDescriptor<dev.paycore.v1.RevokeApiKeyRequest, dev.paycore.v1.RevokeApiKeyResponse> getRevokeApiKeyMethod;
    if ((getRevokeApiKeyMethod = AdminServiceGrpc.getRevokeApiKeyMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getRevokeApiKeyMethod = AdminServiceGrpc.getRevokeApiKeyMethod) == null) {
          AdminServiceGrpc.getRevokeApiKeyMethod = getRevokeApiKeyMethod =
              io.grpc.MethodDescriptor.<dev.paycore.v1.RevokeApiKeyRequest, dev.paycore.v1.RevokeApiKeyResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "RevokeApiKey"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.RevokeApiKeyRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.RevokeApiKeyResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("RevokeApiKey"))
              .build();
        }
      }
    }
    return getRevokeApiKeyMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.paycore.v1.SetWebhookUrlRequest,
      dev.paycore.v1.SetWebhookUrlResponse> getSetWebhookUrlMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "SetWebhookUrl",
      requestType = dev.paycore.v1.SetWebhookUrlRequest.class,
      responseType = dev.paycore.v1.SetWebhookUrlResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.paycore.v1.SetWebhookUrlRequest,
      dev.paycore.v1.SetWebhookUrlResponse> getSetWebhookUrlMethod() {
    io.grpc.MethodDescriptor<dev.paycore.v1.SetWebhookUrlRequest, dev.paycore.v1.SetWebhookUrlResponse> getSetWebhookUrlMethod;
    if ((getSetWebhookUrlMethod = AdminServiceGrpc.getSetWebhookUrlMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getSetWebhookUrlMethod = AdminServiceGrpc.getSetWebhookUrlMethod) == null) {
          AdminServiceGrpc.getSetWebhookUrlMethod = getSetWebhookUrlMethod =
              io.grpc.MethodDescriptor.<dev.paycore.v1.SetWebhookUrlRequest, dev.paycore.v1.SetWebhookUrlResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "SetWebhookUrl"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.SetWebhookUrlRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.SetWebhookUrlResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("SetWebhookUrl"))
              .build();
        }
      }
    }
    return getSetWebhookUrlMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.paycore.v1.RotateWebhookSecretRequest,
      dev.paycore.v1.RotateWebhookSecretResponse> getRotateWebhookSecretMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "RotateWebhookSecret",
      requestType = dev.paycore.v1.RotateWebhookSecretRequest.class,
      responseType = dev.paycore.v1.RotateWebhookSecretResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.paycore.v1.RotateWebhookSecretRequest,
      dev.paycore.v1.RotateWebhookSecretResponse> getRotateWebhookSecretMethod() {
    io.grpc.MethodDescriptor<dev.paycore.v1.RotateWebhookSecretRequest, dev.paycore.v1.RotateWebhookSecretResponse> getRotateWebhookSecretMethod;
    if ((getRotateWebhookSecretMethod = AdminServiceGrpc.getRotateWebhookSecretMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getRotateWebhookSecretMethod = AdminServiceGrpc.getRotateWebhookSecretMethod) == null) {
          AdminServiceGrpc.getRotateWebhookSecretMethod = getRotateWebhookSecretMethod =
              io.grpc.MethodDescriptor.<dev.paycore.v1.RotateWebhookSecretRequest, dev.paycore.v1.RotateWebhookSecretResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "RotateWebhookSecret"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.RotateWebhookSecretRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.RotateWebhookSecretResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("RotateWebhookSecret"))
              .build();
        }
      }
    }
    return getRotateWebhookSecretMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.paycore.v1.SetClientNamesRequest,
      dev.paycore.v1.SetClientNamesResponse> getSetClientNamesMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "SetClientNames",
      requestType = dev.paycore.v1.SetClientNamesRequest.class,
      responseType = dev.paycore.v1.SetClientNamesResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.paycore.v1.SetClientNamesRequest,
      dev.paycore.v1.SetClientNamesResponse> getSetClientNamesMethod() {
    io.grpc.MethodDescriptor<dev.paycore.v1.SetClientNamesRequest, dev.paycore.v1.SetClientNamesResponse> getSetClientNamesMethod;
    if ((getSetClientNamesMethod = AdminServiceGrpc.getSetClientNamesMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getSetClientNamesMethod = AdminServiceGrpc.getSetClientNamesMethod) == null) {
          AdminServiceGrpc.getSetClientNamesMethod = getSetClientNamesMethod =
              io.grpc.MethodDescriptor.<dev.paycore.v1.SetClientNamesRequest, dev.paycore.v1.SetClientNamesResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "SetClientNames"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.SetClientNamesRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.SetClientNamesResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("SetClientNames"))
              .build();
        }
      }
    }
    return getSetClientNamesMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.paycore.v1.ListReviewsRequest,
      dev.paycore.v1.ListReviewsResponse> getListReviewsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListReviews",
      requestType = dev.paycore.v1.ListReviewsRequest.class,
      responseType = dev.paycore.v1.ListReviewsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.paycore.v1.ListReviewsRequest,
      dev.paycore.v1.ListReviewsResponse> getListReviewsMethod() {
    io.grpc.MethodDescriptor<dev.paycore.v1.ListReviewsRequest, dev.paycore.v1.ListReviewsResponse> getListReviewsMethod;
    if ((getListReviewsMethod = AdminServiceGrpc.getListReviewsMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getListReviewsMethod = AdminServiceGrpc.getListReviewsMethod) == null) {
          AdminServiceGrpc.getListReviewsMethod = getListReviewsMethod =
              io.grpc.MethodDescriptor.<dev.paycore.v1.ListReviewsRequest, dev.paycore.v1.ListReviewsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListReviews"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.ListReviewsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.ListReviewsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("ListReviews"))
              .build();
        }
      }
    }
    return getListReviewsMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.paycore.v1.ApproveReviewRequest,
      dev.paycore.v1.ApproveReviewResponse> getApproveReviewMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ApproveReview",
      requestType = dev.paycore.v1.ApproveReviewRequest.class,
      responseType = dev.paycore.v1.ApproveReviewResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.paycore.v1.ApproveReviewRequest,
      dev.paycore.v1.ApproveReviewResponse> getApproveReviewMethod() {
    io.grpc.MethodDescriptor<dev.paycore.v1.ApproveReviewRequest, dev.paycore.v1.ApproveReviewResponse> getApproveReviewMethod;
    if ((getApproveReviewMethod = AdminServiceGrpc.getApproveReviewMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getApproveReviewMethod = AdminServiceGrpc.getApproveReviewMethod) == null) {
          AdminServiceGrpc.getApproveReviewMethod = getApproveReviewMethod =
              io.grpc.MethodDescriptor.<dev.paycore.v1.ApproveReviewRequest, dev.paycore.v1.ApproveReviewResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ApproveReview"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.ApproveReviewRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.ApproveReviewResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("ApproveReview"))
              .build();
        }
      }
    }
    return getApproveReviewMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.paycore.v1.RejectReviewRequest,
      dev.paycore.v1.RejectReviewResponse> getRejectReviewMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "RejectReview",
      requestType = dev.paycore.v1.RejectReviewRequest.class,
      responseType = dev.paycore.v1.RejectReviewResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.paycore.v1.RejectReviewRequest,
      dev.paycore.v1.RejectReviewResponse> getRejectReviewMethod() {
    io.grpc.MethodDescriptor<dev.paycore.v1.RejectReviewRequest, dev.paycore.v1.RejectReviewResponse> getRejectReviewMethod;
    if ((getRejectReviewMethod = AdminServiceGrpc.getRejectReviewMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getRejectReviewMethod = AdminServiceGrpc.getRejectReviewMethod) == null) {
          AdminServiceGrpc.getRejectReviewMethod = getRejectReviewMethod =
              io.grpc.MethodDescriptor.<dev.paycore.v1.RejectReviewRequest, dev.paycore.v1.RejectReviewResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "RejectReview"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.RejectReviewRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.RejectReviewResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("RejectReview"))
              .build();
        }
      }
    }
    return getRejectReviewMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.paycore.v1.ListRiskRulesRequest,
      dev.paycore.v1.ListRiskRulesResponse> getListRiskRulesMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListRiskRules",
      requestType = dev.paycore.v1.ListRiskRulesRequest.class,
      responseType = dev.paycore.v1.ListRiskRulesResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.paycore.v1.ListRiskRulesRequest,
      dev.paycore.v1.ListRiskRulesResponse> getListRiskRulesMethod() {
    io.grpc.MethodDescriptor<dev.paycore.v1.ListRiskRulesRequest, dev.paycore.v1.ListRiskRulesResponse> getListRiskRulesMethod;
    if ((getListRiskRulesMethod = AdminServiceGrpc.getListRiskRulesMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getListRiskRulesMethod = AdminServiceGrpc.getListRiskRulesMethod) == null) {
          AdminServiceGrpc.getListRiskRulesMethod = getListRiskRulesMethod =
              io.grpc.MethodDescriptor.<dev.paycore.v1.ListRiskRulesRequest, dev.paycore.v1.ListRiskRulesResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListRiskRules"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.ListRiskRulesRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.ListRiskRulesResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("ListRiskRules"))
              .build();
        }
      }
    }
    return getListRiskRulesMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.paycore.v1.PutRiskRuleRequest,
      dev.paycore.v1.PutRiskRuleResponse> getPutRiskRuleMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "PutRiskRule",
      requestType = dev.paycore.v1.PutRiskRuleRequest.class,
      responseType = dev.paycore.v1.PutRiskRuleResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.paycore.v1.PutRiskRuleRequest,
      dev.paycore.v1.PutRiskRuleResponse> getPutRiskRuleMethod() {
    io.grpc.MethodDescriptor<dev.paycore.v1.PutRiskRuleRequest, dev.paycore.v1.PutRiskRuleResponse> getPutRiskRuleMethod;
    if ((getPutRiskRuleMethod = AdminServiceGrpc.getPutRiskRuleMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getPutRiskRuleMethod = AdminServiceGrpc.getPutRiskRuleMethod) == null) {
          AdminServiceGrpc.getPutRiskRuleMethod = getPutRiskRuleMethod =
              io.grpc.MethodDescriptor.<dev.paycore.v1.PutRiskRuleRequest, dev.paycore.v1.PutRiskRuleResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "PutRiskRule"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.PutRiskRuleRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.PutRiskRuleResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("PutRiskRule"))
              .build();
        }
      }
    }
    return getPutRiskRuleMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.paycore.v1.SetRiskRuleEnabledRequest,
      dev.paycore.v1.SetRiskRuleEnabledResponse> getSetRiskRuleEnabledMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "SetRiskRuleEnabled",
      requestType = dev.paycore.v1.SetRiskRuleEnabledRequest.class,
      responseType = dev.paycore.v1.SetRiskRuleEnabledResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.paycore.v1.SetRiskRuleEnabledRequest,
      dev.paycore.v1.SetRiskRuleEnabledResponse> getSetRiskRuleEnabledMethod() {
    io.grpc.MethodDescriptor<dev.paycore.v1.SetRiskRuleEnabledRequest, dev.paycore.v1.SetRiskRuleEnabledResponse> getSetRiskRuleEnabledMethod;
    if ((getSetRiskRuleEnabledMethod = AdminServiceGrpc.getSetRiskRuleEnabledMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getSetRiskRuleEnabledMethod = AdminServiceGrpc.getSetRiskRuleEnabledMethod) == null) {
          AdminServiceGrpc.getSetRiskRuleEnabledMethod = getSetRiskRuleEnabledMethod =
              io.grpc.MethodDescriptor.<dev.paycore.v1.SetRiskRuleEnabledRequest, dev.paycore.v1.SetRiskRuleEnabledResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "SetRiskRuleEnabled"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.SetRiskRuleEnabledRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.SetRiskRuleEnabledResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("SetRiskRuleEnabled"))
              .build();
        }
      }
    }
    return getSetRiskRuleEnabledMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.paycore.v1.DeleteRiskRuleRequest,
      dev.paycore.v1.DeleteRiskRuleResponse> getDeleteRiskRuleMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "DeleteRiskRule",
      requestType = dev.paycore.v1.DeleteRiskRuleRequest.class,
      responseType = dev.paycore.v1.DeleteRiskRuleResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.paycore.v1.DeleteRiskRuleRequest,
      dev.paycore.v1.DeleteRiskRuleResponse> getDeleteRiskRuleMethod() {
    io.grpc.MethodDescriptor<dev.paycore.v1.DeleteRiskRuleRequest, dev.paycore.v1.DeleteRiskRuleResponse> getDeleteRiskRuleMethod;
    if ((getDeleteRiskRuleMethod = AdminServiceGrpc.getDeleteRiskRuleMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getDeleteRiskRuleMethod = AdminServiceGrpc.getDeleteRiskRuleMethod) == null) {
          AdminServiceGrpc.getDeleteRiskRuleMethod = getDeleteRiskRuleMethod =
              io.grpc.MethodDescriptor.<dev.paycore.v1.DeleteRiskRuleRequest, dev.paycore.v1.DeleteRiskRuleResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "DeleteRiskRule"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.DeleteRiskRuleRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.DeleteRiskRuleResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("DeleteRiskRule"))
              .build();
        }
      }
    }
    return getDeleteRiskRuleMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.paycore.v1.ListRiskListsRequest,
      dev.paycore.v1.ListRiskListsResponse> getListRiskListsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListRiskLists",
      requestType = dev.paycore.v1.ListRiskListsRequest.class,
      responseType = dev.paycore.v1.ListRiskListsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.paycore.v1.ListRiskListsRequest,
      dev.paycore.v1.ListRiskListsResponse> getListRiskListsMethod() {
    io.grpc.MethodDescriptor<dev.paycore.v1.ListRiskListsRequest, dev.paycore.v1.ListRiskListsResponse> getListRiskListsMethod;
    if ((getListRiskListsMethod = AdminServiceGrpc.getListRiskListsMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getListRiskListsMethod = AdminServiceGrpc.getListRiskListsMethod) == null) {
          AdminServiceGrpc.getListRiskListsMethod = getListRiskListsMethod =
              io.grpc.MethodDescriptor.<dev.paycore.v1.ListRiskListsRequest, dev.paycore.v1.ListRiskListsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListRiskLists"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.ListRiskListsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.ListRiskListsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("ListRiskLists"))
              .build();
        }
      }
    }
    return getListRiskListsMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.paycore.v1.CreateRiskListRequest,
      dev.paycore.v1.CreateRiskListResponse> getCreateRiskListMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "CreateRiskList",
      requestType = dev.paycore.v1.CreateRiskListRequest.class,
      responseType = dev.paycore.v1.CreateRiskListResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.paycore.v1.CreateRiskListRequest,
      dev.paycore.v1.CreateRiskListResponse> getCreateRiskListMethod() {
    io.grpc.MethodDescriptor<dev.paycore.v1.CreateRiskListRequest, dev.paycore.v1.CreateRiskListResponse> getCreateRiskListMethod;
    if ((getCreateRiskListMethod = AdminServiceGrpc.getCreateRiskListMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getCreateRiskListMethod = AdminServiceGrpc.getCreateRiskListMethod) == null) {
          AdminServiceGrpc.getCreateRiskListMethod = getCreateRiskListMethod =
              io.grpc.MethodDescriptor.<dev.paycore.v1.CreateRiskListRequest, dev.paycore.v1.CreateRiskListResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "CreateRiskList"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.CreateRiskListRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.CreateRiskListResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("CreateRiskList"))
              .build();
        }
      }
    }
    return getCreateRiskListMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.paycore.v1.ListRiskListEntriesRequest,
      dev.paycore.v1.ListRiskListEntriesResponse> getListRiskListEntriesMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListRiskListEntries",
      requestType = dev.paycore.v1.ListRiskListEntriesRequest.class,
      responseType = dev.paycore.v1.ListRiskListEntriesResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.paycore.v1.ListRiskListEntriesRequest,
      dev.paycore.v1.ListRiskListEntriesResponse> getListRiskListEntriesMethod() {
    io.grpc.MethodDescriptor<dev.paycore.v1.ListRiskListEntriesRequest, dev.paycore.v1.ListRiskListEntriesResponse> getListRiskListEntriesMethod;
    if ((getListRiskListEntriesMethod = AdminServiceGrpc.getListRiskListEntriesMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getListRiskListEntriesMethod = AdminServiceGrpc.getListRiskListEntriesMethod) == null) {
          AdminServiceGrpc.getListRiskListEntriesMethod = getListRiskListEntriesMethod =
              io.grpc.MethodDescriptor.<dev.paycore.v1.ListRiskListEntriesRequest, dev.paycore.v1.ListRiskListEntriesResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListRiskListEntries"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.ListRiskListEntriesRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.ListRiskListEntriesResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("ListRiskListEntries"))
              .build();
        }
      }
    }
    return getListRiskListEntriesMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.paycore.v1.AddRiskListEntriesRequest,
      dev.paycore.v1.AddRiskListEntriesResponse> getAddRiskListEntriesMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "AddRiskListEntries",
      requestType = dev.paycore.v1.AddRiskListEntriesRequest.class,
      responseType = dev.paycore.v1.AddRiskListEntriesResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.paycore.v1.AddRiskListEntriesRequest,
      dev.paycore.v1.AddRiskListEntriesResponse> getAddRiskListEntriesMethod() {
    io.grpc.MethodDescriptor<dev.paycore.v1.AddRiskListEntriesRequest, dev.paycore.v1.AddRiskListEntriesResponse> getAddRiskListEntriesMethod;
    if ((getAddRiskListEntriesMethod = AdminServiceGrpc.getAddRiskListEntriesMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getAddRiskListEntriesMethod = AdminServiceGrpc.getAddRiskListEntriesMethod) == null) {
          AdminServiceGrpc.getAddRiskListEntriesMethod = getAddRiskListEntriesMethod =
              io.grpc.MethodDescriptor.<dev.paycore.v1.AddRiskListEntriesRequest, dev.paycore.v1.AddRiskListEntriesResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "AddRiskListEntries"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.AddRiskListEntriesRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.AddRiskListEntriesResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("AddRiskListEntries"))
              .build();
        }
      }
    }
    return getAddRiskListEntriesMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.paycore.v1.RemoveRiskListEntriesRequest,
      dev.paycore.v1.RemoveRiskListEntriesResponse> getRemoveRiskListEntriesMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "RemoveRiskListEntries",
      requestType = dev.paycore.v1.RemoveRiskListEntriesRequest.class,
      responseType = dev.paycore.v1.RemoveRiskListEntriesResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.paycore.v1.RemoveRiskListEntriesRequest,
      dev.paycore.v1.RemoveRiskListEntriesResponse> getRemoveRiskListEntriesMethod() {
    io.grpc.MethodDescriptor<dev.paycore.v1.RemoveRiskListEntriesRequest, dev.paycore.v1.RemoveRiskListEntriesResponse> getRemoveRiskListEntriesMethod;
    if ((getRemoveRiskListEntriesMethod = AdminServiceGrpc.getRemoveRiskListEntriesMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getRemoveRiskListEntriesMethod = AdminServiceGrpc.getRemoveRiskListEntriesMethod) == null) {
          AdminServiceGrpc.getRemoveRiskListEntriesMethod = getRemoveRiskListEntriesMethod =
              io.grpc.MethodDescriptor.<dev.paycore.v1.RemoveRiskListEntriesRequest, dev.paycore.v1.RemoveRiskListEntriesResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "RemoveRiskListEntries"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.RemoveRiskListEntriesRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.RemoveRiskListEntriesResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("RemoveRiskListEntries"))
              .build();
        }
      }
    }
    return getRemoveRiskListEntriesMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.paycore.v1.ListRiskAuditRequest,
      dev.paycore.v1.ListRiskAuditResponse> getListRiskAuditMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListRiskAudit",
      requestType = dev.paycore.v1.ListRiskAuditRequest.class,
      responseType = dev.paycore.v1.ListRiskAuditResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.paycore.v1.ListRiskAuditRequest,
      dev.paycore.v1.ListRiskAuditResponse> getListRiskAuditMethod() {
    io.grpc.MethodDescriptor<dev.paycore.v1.ListRiskAuditRequest, dev.paycore.v1.ListRiskAuditResponse> getListRiskAuditMethod;
    if ((getListRiskAuditMethod = AdminServiceGrpc.getListRiskAuditMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getListRiskAuditMethod = AdminServiceGrpc.getListRiskAuditMethod) == null) {
          AdminServiceGrpc.getListRiskAuditMethod = getListRiskAuditMethod =
              io.grpc.MethodDescriptor.<dev.paycore.v1.ListRiskAuditRequest, dev.paycore.v1.ListRiskAuditResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListRiskAudit"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.ListRiskAuditRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.ListRiskAuditResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("ListRiskAudit"))
              .build();
        }
      }
    }
    return getListRiskAuditMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.paycore.v1.EvaluateRiskRequest,
      dev.paycore.v1.EvaluateRiskResponse> getEvaluateRiskMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "EvaluateRisk",
      requestType = dev.paycore.v1.EvaluateRiskRequest.class,
      responseType = dev.paycore.v1.EvaluateRiskResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.paycore.v1.EvaluateRiskRequest,
      dev.paycore.v1.EvaluateRiskResponse> getEvaluateRiskMethod() {
    io.grpc.MethodDescriptor<dev.paycore.v1.EvaluateRiskRequest, dev.paycore.v1.EvaluateRiskResponse> getEvaluateRiskMethod;
    if ((getEvaluateRiskMethod = AdminServiceGrpc.getEvaluateRiskMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getEvaluateRiskMethod = AdminServiceGrpc.getEvaluateRiskMethod) == null) {
          AdminServiceGrpc.getEvaluateRiskMethod = getEvaluateRiskMethod =
              io.grpc.MethodDescriptor.<dev.paycore.v1.EvaluateRiskRequest, dev.paycore.v1.EvaluateRiskResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "EvaluateRisk"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.EvaluateRiskRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.EvaluateRiskResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("EvaluateRisk"))
              .build();
        }
      }
    }
    return getEvaluateRiskMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static AdminServiceStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<AdminServiceStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<AdminServiceStub>() {
        @java.lang.Override
        public AdminServiceStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new AdminServiceStub(channel, callOptions);
        }
      };
    return AdminServiceStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports all types of calls on the service
   */
  public static AdminServiceBlockingV2Stub newBlockingV2Stub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<AdminServiceBlockingV2Stub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<AdminServiceBlockingV2Stub>() {
        @java.lang.Override
        public AdminServiceBlockingV2Stub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new AdminServiceBlockingV2Stub(channel, callOptions);
        }
      };
    return AdminServiceBlockingV2Stub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static AdminServiceBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<AdminServiceBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<AdminServiceBlockingStub>() {
        @java.lang.Override
        public AdminServiceBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new AdminServiceBlockingStub(channel, callOptions);
        }
      };
    return AdminServiceBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static AdminServiceFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<AdminServiceFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<AdminServiceFutureStub>() {
        @java.lang.Override
        public AdminServiceFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new AdminServiceFutureStub(channel, callOptions);
        }
      };
    return AdminServiceFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * Operator-only view and controls of the running node. Every call needs
   * `authorization: Bearer &lt;operator key&gt;`. Channel health (breaker, limiter, statistics) is
   * per node.
   * </pre>
   */
  public interface AsyncService {

    /**
     * <pre>
     * Lists the configured channels with their health.
     * </pre>
     */
    default void listChannels(dev.paycore.v1.ListChannelsRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.ListChannelsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListChannelsMethod(), responseObserver);
    }

    /**
     * <pre>
     * Takes a channel out of routing (or puts it back) on this node.
     * </pre>
     */
    default void setChannelEnabled(dev.paycore.v1.SetChannelEnabledRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.SetChannelEnabledResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getSetChannelEnabledMethod(), responseObserver);
    }

    /**
     * <pre>
     * Injects faults into a sandbox channel, to rehearse an outage. Other channels refuse
     * with FAILED_PRECONDITION / NOT_A_SANDBOX_CHANNEL.
     * </pre>
     */
    default void setChannelFaults(dev.paycore.v1.SetChannelFaultsRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.SetChannelFaultsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getSetChannelFaultsMethod(), responseObserver);
    }

    /**
     * <pre>
     * Creates a merchant with its first API key. A webhook URL is checked as it is set:
     * INVALID_ARGUMENT with a `webhook_url` violation when webhooks may not go there.
     * </pre>
     */
    default void createMerchant(dev.paycore.v1.CreateMerchantRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.CreateMerchantResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getCreateMerchantMethod(), responseObserver);
    }

    /**
     * <pre>
     * Lists every merchant, oldest first.
     * </pre>
     */
    default void listMerchants(dev.paycore.v1.ListMerchantsRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.ListMerchantsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListMerchantsMethod(), responseObserver);
    }

    /**
     * <pre>
     * Gives a merchant another API key, optionally expiring.
     * </pre>
     */
    default void createApiKey(dev.paycore.v1.CreateApiKeyRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.CreateApiKeyResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getCreateApiKeyMethod(), responseObserver);
    }

    /**
     * <pre>
     * Lists a merchant's API keys, revoked and expired ones included (never the keys).
     * </pre>
     */
    default void listApiKeys(dev.paycore.v1.ListApiKeysRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.ListApiKeysResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListApiKeysMethod(), responseObserver);
    }

    /**
     * <pre>
     * Revokes an API key: refused at once on this node, within 30 s on every node.
     * </pre>
     */
    default void revokeApiKey(dev.paycore.v1.RevokeApiKeyRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.RevokeApiKeyResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getRevokeApiKeyMethod(), responseObserver);
    }

    /**
     * <pre>
     * Sets or removes a merchant's webhook URL; one disabled by a 410 is sent to again.
     * </pre>
     */
    default void setWebhookUrl(dev.paycore.v1.SetWebhookUrlRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.SetWebhookUrlResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getSetWebhookUrlMethod(), responseObserver);
    }

    /**
     * <pre>
     * Gives a merchant a new webhook secret; the old one also signs for `grace`.
     * </pre>
     */
    default void rotateWebhookSecret(dev.paycore.v1.RotateWebhookSecretRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.RotateWebhookSecretResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getRotateWebhookSecretMethod(), responseObserver);
    }

    /**
     * <pre>
     * Under mutual TLS, binds a merchant's keys to clients whose certificate is for one of
     * the given DNS names (none: any client); a call with another certificate is refused with
     * PERMISSION_DENIED / CLIENT_CERTIFICATE_NOT_ALLOWED.
     * </pre>
     */
    default void setClientNames(dev.paycore.v1.SetClientNamesRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.SetClientNamesResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getSetClientNamesMethod(), responseObserver);
    }

    /**
     * <pre>
     * Payments the risk rules hold for review (REQUIRES_REVIEW), oldest first.
     * </pre>
     */
    default void listReviews(dev.paycore.v1.ListReviewsRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.ListReviewsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListReviewsMethod(), responseObserver);
    }

    /**
     * <pre>
     * Approves a payment held for review: it is placed at a channel as a new one would be,
     * and the answer is the payment after that first placement. FAILED_PRECONDITION /
     * PAYMENT_NOT_IN_REVIEW when it is not held (already decided, or expired).
     * </pre>
     */
    default void approveReview(dev.paycore.v1.ApproveReviewRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.ApproveReviewResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getApproveReviewMethod(), responseObserver);
    }

    /**
     * <pre>
     * Rejects a payment held for review: it ends FAILED with failure.code RISK_REJECTED.
     * </pre>
     */
    default void rejectReview(dev.paycore.v1.RejectReviewRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.RejectReviewResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getRejectReviewMethod(), responseObserver);
    }

    /**
     * <pre>
     * Lists every rule, config and runtime, by id.
     * </pre>
     */
    default void listRiskRules(dev.paycore.v1.ListRiskRulesRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.ListRiskRulesResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListRiskRulesMethod(), responseObserver);
    }

    /**
     * <pre>
     * Creates or replaces the runtime rule of rule.id.
     * </pre>
     */
    default void putRiskRule(dev.paycore.v1.PutRiskRuleRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.PutRiskRuleResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getPutRiskRuleMethod(), responseObserver);
    }

    /**
     * <pre>
     * Enables or disables a rule (a config rule through a runtime copy of it).
     * </pre>
     */
    default void setRiskRuleEnabled(dev.paycore.v1.SetRiskRuleEnabledRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.SetRiskRuleEnabledResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getSetRiskRuleEnabledMethod(), responseObserver);
    }

    /**
     * <pre>
     * Deletes a runtime rule; the config rule of its id, if any, is in force again.
     * </pre>
     */
    default void deleteRiskRule(dev.paycore.v1.DeleteRiskRuleRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.DeleteRiskRuleResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getDeleteRiskRuleMethod(), responseObserver);
    }

    /**
     * <pre>
     * Lists every list with its kind and entry count.
     * </pre>
     */
    default void listRiskLists(dev.paycore.v1.ListRiskListsRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.ListRiskListsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListRiskListsMethod(), responseObserver);
    }

    /**
     * <pre>
     * Creates a list at runtime.
     * </pre>
     */
    default void createRiskList(dev.paycore.v1.CreateRiskListRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.CreateRiskListResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getCreateRiskListMethod(), responseObserver);
    }

    /**
     * <pre>
     * Lists a list's entries in force, sorted.
     * </pre>
     */
    default void listRiskListEntries(dev.paycore.v1.ListRiskListEntriesRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.ListRiskListEntriesResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListRiskListEntriesMethod(), responseObserver);
    }

    /**
     * <pre>
     * Adds entries to a list (one from the config file too).
     * </pre>
     */
    default void addRiskListEntries(dev.paycore.v1.AddRiskListEntriesRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.AddRiskListEntriesResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getAddRiskListEntriesMethod(), responseObserver);
    }

    /**
     * <pre>
     * Removes runtime entries from a list; the config file's entries are refused.
     * </pre>
     */
    default void removeRiskListEntries(dev.paycore.v1.RemoveRiskListEntriesRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.RemoveRiskListEntriesResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getRemoveRiskListEntriesMethod(), responseObserver);
    }

    /**
     * <pre>
     * The audit trail of rule and list changes, newest first.
     * </pre>
     */
    default void listRiskAudit(dev.paycore.v1.ListRiskAuditRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.ListRiskAuditResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListRiskAuditMethod(), responseObserver);
    }

    /**
     * <pre>
     * What the rules in force would decide for a create request now, without storing a
     * payment or counting it.
     * </pre>
     */
    default void evaluateRisk(dev.paycore.v1.EvaluateRiskRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.EvaluateRiskResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getEvaluateRiskMethod(), responseObserver);
    }
  }

  /**
   * Base class for the server implementation of the service AdminService.
   * <pre>
   * Operator-only view and controls of the running node. Every call needs
   * `authorization: Bearer &lt;operator key&gt;`. Channel health (breaker, limiter, statistics) is
   * per node.
   * </pre>
   */
  public static abstract class AdminServiceImplBase
      implements io.grpc.BindableService, AsyncService {

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return AdminServiceGrpc.bindService(this);
    }
  }

  /**
   * A stub to allow clients to do asynchronous rpc calls to service AdminService.
   * <pre>
   * Operator-only view and controls of the running node. Every call needs
   * `authorization: Bearer &lt;operator key&gt;`. Channel health (breaker, limiter, statistics) is
   * per node.
   * </pre>
   */
  public static final class AdminServiceStub
      extends io.grpc.stub.AbstractAsyncStub<AdminServiceStub> {
    private AdminServiceStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected AdminServiceStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new AdminServiceStub(channel, callOptions);
    }

    /**
     * <pre>
     * Lists the configured channels with their health.
     * </pre>
     */
    public void listChannels(dev.paycore.v1.ListChannelsRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.ListChannelsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListChannelsMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Takes a channel out of routing (or puts it back) on this node.
     * </pre>
     */
    public void setChannelEnabled(dev.paycore.v1.SetChannelEnabledRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.SetChannelEnabledResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getSetChannelEnabledMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Injects faults into a sandbox channel, to rehearse an outage. Other channels refuse
     * with FAILED_PRECONDITION / NOT_A_SANDBOX_CHANNEL.
     * </pre>
     */
    public void setChannelFaults(dev.paycore.v1.SetChannelFaultsRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.SetChannelFaultsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getSetChannelFaultsMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Creates a merchant with its first API key. A webhook URL is checked as it is set:
     * INVALID_ARGUMENT with a `webhook_url` violation when webhooks may not go there.
     * </pre>
     */
    public void createMerchant(dev.paycore.v1.CreateMerchantRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.CreateMerchantResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getCreateMerchantMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Lists every merchant, oldest first.
     * </pre>
     */
    public void listMerchants(dev.paycore.v1.ListMerchantsRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.ListMerchantsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListMerchantsMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Gives a merchant another API key, optionally expiring.
     * </pre>
     */
    public void createApiKey(dev.paycore.v1.CreateApiKeyRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.CreateApiKeyResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getCreateApiKeyMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Lists a merchant's API keys, revoked and expired ones included (never the keys).
     * </pre>
     */
    public void listApiKeys(dev.paycore.v1.ListApiKeysRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.ListApiKeysResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListApiKeysMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Revokes an API key: refused at once on this node, within 30 s on every node.
     * </pre>
     */
    public void revokeApiKey(dev.paycore.v1.RevokeApiKeyRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.RevokeApiKeyResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getRevokeApiKeyMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Sets or removes a merchant's webhook URL; one disabled by a 410 is sent to again.
     * </pre>
     */
    public void setWebhookUrl(dev.paycore.v1.SetWebhookUrlRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.SetWebhookUrlResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getSetWebhookUrlMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Gives a merchant a new webhook secret; the old one also signs for `grace`.
     * </pre>
     */
    public void rotateWebhookSecret(dev.paycore.v1.RotateWebhookSecretRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.RotateWebhookSecretResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getRotateWebhookSecretMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Under mutual TLS, binds a merchant's keys to clients whose certificate is for one of
     * the given DNS names (none: any client); a call with another certificate is refused with
     * PERMISSION_DENIED / CLIENT_CERTIFICATE_NOT_ALLOWED.
     * </pre>
     */
    public void setClientNames(dev.paycore.v1.SetClientNamesRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.SetClientNamesResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getSetClientNamesMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Payments the risk rules hold for review (REQUIRES_REVIEW), oldest first.
     * </pre>
     */
    public void listReviews(dev.paycore.v1.ListReviewsRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.ListReviewsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListReviewsMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Approves a payment held for review: it is placed at a channel as a new one would be,
     * and the answer is the payment after that first placement. FAILED_PRECONDITION /
     * PAYMENT_NOT_IN_REVIEW when it is not held (already decided, or expired).
     * </pre>
     */
    public void approveReview(dev.paycore.v1.ApproveReviewRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.ApproveReviewResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getApproveReviewMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Rejects a payment held for review: it ends FAILED with failure.code RISK_REJECTED.
     * </pre>
     */
    public void rejectReview(dev.paycore.v1.RejectReviewRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.RejectReviewResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getRejectReviewMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Lists every rule, config and runtime, by id.
     * </pre>
     */
    public void listRiskRules(dev.paycore.v1.ListRiskRulesRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.ListRiskRulesResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListRiskRulesMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Creates or replaces the runtime rule of rule.id.
     * </pre>
     */
    public void putRiskRule(dev.paycore.v1.PutRiskRuleRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.PutRiskRuleResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getPutRiskRuleMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Enables or disables a rule (a config rule through a runtime copy of it).
     * </pre>
     */
    public void setRiskRuleEnabled(dev.paycore.v1.SetRiskRuleEnabledRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.SetRiskRuleEnabledResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getSetRiskRuleEnabledMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Deletes a runtime rule; the config rule of its id, if any, is in force again.
     * </pre>
     */
    public void deleteRiskRule(dev.paycore.v1.DeleteRiskRuleRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.DeleteRiskRuleResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getDeleteRiskRuleMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Lists every list with its kind and entry count.
     * </pre>
     */
    public void listRiskLists(dev.paycore.v1.ListRiskListsRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.ListRiskListsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListRiskListsMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Creates a list at runtime.
     * </pre>
     */
    public void createRiskList(dev.paycore.v1.CreateRiskListRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.CreateRiskListResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getCreateRiskListMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Lists a list's entries in force, sorted.
     * </pre>
     */
    public void listRiskListEntries(dev.paycore.v1.ListRiskListEntriesRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.ListRiskListEntriesResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListRiskListEntriesMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Adds entries to a list (one from the config file too).
     * </pre>
     */
    public void addRiskListEntries(dev.paycore.v1.AddRiskListEntriesRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.AddRiskListEntriesResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getAddRiskListEntriesMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Removes runtime entries from a list; the config file's entries are refused.
     * </pre>
     */
    public void removeRiskListEntries(dev.paycore.v1.RemoveRiskListEntriesRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.RemoveRiskListEntriesResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getRemoveRiskListEntriesMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * The audit trail of rule and list changes, newest first.
     * </pre>
     */
    public void listRiskAudit(dev.paycore.v1.ListRiskAuditRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.ListRiskAuditResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListRiskAuditMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * What the rules in force would decide for a create request now, without storing a
     * payment or counting it.
     * </pre>
     */
    public void evaluateRisk(dev.paycore.v1.EvaluateRiskRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.EvaluateRiskResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getEvaluateRiskMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * A stub to allow clients to do synchronous rpc calls to service AdminService.
   * <pre>
   * Operator-only view and controls of the running node. Every call needs
   * `authorization: Bearer &lt;operator key&gt;`. Channel health (breaker, limiter, statistics) is
   * per node.
   * </pre>
   */
  public static final class AdminServiceBlockingV2Stub
      extends io.grpc.stub.AbstractBlockingStub<AdminServiceBlockingV2Stub> {
    private AdminServiceBlockingV2Stub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected AdminServiceBlockingV2Stub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new AdminServiceBlockingV2Stub(channel, callOptions);
    }

    /**
     * <pre>
     * Lists the configured channels with their health.
     * </pre>
     */
    public dev.paycore.v1.ListChannelsResponse listChannels(dev.paycore.v1.ListChannelsRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getListChannelsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Takes a channel out of routing (or puts it back) on this node.
     * </pre>
     */
    public dev.paycore.v1.SetChannelEnabledResponse setChannelEnabled(dev.paycore.v1.SetChannelEnabledRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getSetChannelEnabledMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Injects faults into a sandbox channel, to rehearse an outage. Other channels refuse
     * with FAILED_PRECONDITION / NOT_A_SANDBOX_CHANNEL.
     * </pre>
     */
    public dev.paycore.v1.SetChannelFaultsResponse setChannelFaults(dev.paycore.v1.SetChannelFaultsRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getSetChannelFaultsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Creates a merchant with its first API key. A webhook URL is checked as it is set:
     * INVALID_ARGUMENT with a `webhook_url` violation when webhooks may not go there.
     * </pre>
     */
    public dev.paycore.v1.CreateMerchantResponse createMerchant(dev.paycore.v1.CreateMerchantRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getCreateMerchantMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Lists every merchant, oldest first.
     * </pre>
     */
    public dev.paycore.v1.ListMerchantsResponse listMerchants(dev.paycore.v1.ListMerchantsRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getListMerchantsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Gives a merchant another API key, optionally expiring.
     * </pre>
     */
    public dev.paycore.v1.CreateApiKeyResponse createApiKey(dev.paycore.v1.CreateApiKeyRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getCreateApiKeyMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Lists a merchant's API keys, revoked and expired ones included (never the keys).
     * </pre>
     */
    public dev.paycore.v1.ListApiKeysResponse listApiKeys(dev.paycore.v1.ListApiKeysRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getListApiKeysMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Revokes an API key: refused at once on this node, within 30 s on every node.
     * </pre>
     */
    public dev.paycore.v1.RevokeApiKeyResponse revokeApiKey(dev.paycore.v1.RevokeApiKeyRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getRevokeApiKeyMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Sets or removes a merchant's webhook URL; one disabled by a 410 is sent to again.
     * </pre>
     */
    public dev.paycore.v1.SetWebhookUrlResponse setWebhookUrl(dev.paycore.v1.SetWebhookUrlRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getSetWebhookUrlMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Gives a merchant a new webhook secret; the old one also signs for `grace`.
     * </pre>
     */
    public dev.paycore.v1.RotateWebhookSecretResponse rotateWebhookSecret(dev.paycore.v1.RotateWebhookSecretRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getRotateWebhookSecretMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Under mutual TLS, binds a merchant's keys to clients whose certificate is for one of
     * the given DNS names (none: any client); a call with another certificate is refused with
     * PERMISSION_DENIED / CLIENT_CERTIFICATE_NOT_ALLOWED.
     * </pre>
     */
    public dev.paycore.v1.SetClientNamesResponse setClientNames(dev.paycore.v1.SetClientNamesRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getSetClientNamesMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Payments the risk rules hold for review (REQUIRES_REVIEW), oldest first.
     * </pre>
     */
    public dev.paycore.v1.ListReviewsResponse listReviews(dev.paycore.v1.ListReviewsRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getListReviewsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Approves a payment held for review: it is placed at a channel as a new one would be,
     * and the answer is the payment after that first placement. FAILED_PRECONDITION /
     * PAYMENT_NOT_IN_REVIEW when it is not held (already decided, or expired).
     * </pre>
     */
    public dev.paycore.v1.ApproveReviewResponse approveReview(dev.paycore.v1.ApproveReviewRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getApproveReviewMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Rejects a payment held for review: it ends FAILED with failure.code RISK_REJECTED.
     * </pre>
     */
    public dev.paycore.v1.RejectReviewResponse rejectReview(dev.paycore.v1.RejectReviewRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getRejectReviewMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Lists every rule, config and runtime, by id.
     * </pre>
     */
    public dev.paycore.v1.ListRiskRulesResponse listRiskRules(dev.paycore.v1.ListRiskRulesRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getListRiskRulesMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Creates or replaces the runtime rule of rule.id.
     * </pre>
     */
    public dev.paycore.v1.PutRiskRuleResponse putRiskRule(dev.paycore.v1.PutRiskRuleRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getPutRiskRuleMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Enables or disables a rule (a config rule through a runtime copy of it).
     * </pre>
     */
    public dev.paycore.v1.SetRiskRuleEnabledResponse setRiskRuleEnabled(dev.paycore.v1.SetRiskRuleEnabledRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getSetRiskRuleEnabledMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Deletes a runtime rule; the config rule of its id, if any, is in force again.
     * </pre>
     */
    public dev.paycore.v1.DeleteRiskRuleResponse deleteRiskRule(dev.paycore.v1.DeleteRiskRuleRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getDeleteRiskRuleMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Lists every list with its kind and entry count.
     * </pre>
     */
    public dev.paycore.v1.ListRiskListsResponse listRiskLists(dev.paycore.v1.ListRiskListsRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getListRiskListsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Creates a list at runtime.
     * </pre>
     */
    public dev.paycore.v1.CreateRiskListResponse createRiskList(dev.paycore.v1.CreateRiskListRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getCreateRiskListMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Lists a list's entries in force, sorted.
     * </pre>
     */
    public dev.paycore.v1.ListRiskListEntriesResponse listRiskListEntries(dev.paycore.v1.ListRiskListEntriesRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getListRiskListEntriesMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Adds entries to a list (one from the config file too).
     * </pre>
     */
    public dev.paycore.v1.AddRiskListEntriesResponse addRiskListEntries(dev.paycore.v1.AddRiskListEntriesRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getAddRiskListEntriesMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Removes runtime entries from a list; the config file's entries are refused.
     * </pre>
     */
    public dev.paycore.v1.RemoveRiskListEntriesResponse removeRiskListEntries(dev.paycore.v1.RemoveRiskListEntriesRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getRemoveRiskListEntriesMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * The audit trail of rule and list changes, newest first.
     * </pre>
     */
    public dev.paycore.v1.ListRiskAuditResponse listRiskAudit(dev.paycore.v1.ListRiskAuditRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getListRiskAuditMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * What the rules in force would decide for a create request now, without storing a
     * payment or counting it.
     * </pre>
     */
    public dev.paycore.v1.EvaluateRiskResponse evaluateRisk(dev.paycore.v1.EvaluateRiskRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getEvaluateRiskMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do limited synchronous rpc calls to service AdminService.
   * <pre>
   * Operator-only view and controls of the running node. Every call needs
   * `authorization: Bearer &lt;operator key&gt;`. Channel health (breaker, limiter, statistics) is
   * per node.
   * </pre>
   */
  public static final class AdminServiceBlockingStub
      extends io.grpc.stub.AbstractBlockingStub<AdminServiceBlockingStub> {
    private AdminServiceBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected AdminServiceBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new AdminServiceBlockingStub(channel, callOptions);
    }

    /**
     * <pre>
     * Lists the configured channels with their health.
     * </pre>
     */
    public dev.paycore.v1.ListChannelsResponse listChannels(dev.paycore.v1.ListChannelsRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListChannelsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Takes a channel out of routing (or puts it back) on this node.
     * </pre>
     */
    public dev.paycore.v1.SetChannelEnabledResponse setChannelEnabled(dev.paycore.v1.SetChannelEnabledRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getSetChannelEnabledMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Injects faults into a sandbox channel, to rehearse an outage. Other channels refuse
     * with FAILED_PRECONDITION / NOT_A_SANDBOX_CHANNEL.
     * </pre>
     */
    public dev.paycore.v1.SetChannelFaultsResponse setChannelFaults(dev.paycore.v1.SetChannelFaultsRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getSetChannelFaultsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Creates a merchant with its first API key. A webhook URL is checked as it is set:
     * INVALID_ARGUMENT with a `webhook_url` violation when webhooks may not go there.
     * </pre>
     */
    public dev.paycore.v1.CreateMerchantResponse createMerchant(dev.paycore.v1.CreateMerchantRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getCreateMerchantMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Lists every merchant, oldest first.
     * </pre>
     */
    public dev.paycore.v1.ListMerchantsResponse listMerchants(dev.paycore.v1.ListMerchantsRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListMerchantsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Gives a merchant another API key, optionally expiring.
     * </pre>
     */
    public dev.paycore.v1.CreateApiKeyResponse createApiKey(dev.paycore.v1.CreateApiKeyRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getCreateApiKeyMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Lists a merchant's API keys, revoked and expired ones included (never the keys).
     * </pre>
     */
    public dev.paycore.v1.ListApiKeysResponse listApiKeys(dev.paycore.v1.ListApiKeysRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListApiKeysMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Revokes an API key: refused at once on this node, within 30 s on every node.
     * </pre>
     */
    public dev.paycore.v1.RevokeApiKeyResponse revokeApiKey(dev.paycore.v1.RevokeApiKeyRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getRevokeApiKeyMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Sets or removes a merchant's webhook URL; one disabled by a 410 is sent to again.
     * </pre>
     */
    public dev.paycore.v1.SetWebhookUrlResponse setWebhookUrl(dev.paycore.v1.SetWebhookUrlRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getSetWebhookUrlMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Gives a merchant a new webhook secret; the old one also signs for `grace`.
     * </pre>
     */
    public dev.paycore.v1.RotateWebhookSecretResponse rotateWebhookSecret(dev.paycore.v1.RotateWebhookSecretRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getRotateWebhookSecretMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Under mutual TLS, binds a merchant's keys to clients whose certificate is for one of
     * the given DNS names (none: any client); a call with another certificate is refused with
     * PERMISSION_DENIED / CLIENT_CERTIFICATE_NOT_ALLOWED.
     * </pre>
     */
    public dev.paycore.v1.SetClientNamesResponse setClientNames(dev.paycore.v1.SetClientNamesRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getSetClientNamesMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Payments the risk rules hold for review (REQUIRES_REVIEW), oldest first.
     * </pre>
     */
    public dev.paycore.v1.ListReviewsResponse listReviews(dev.paycore.v1.ListReviewsRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListReviewsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Approves a payment held for review: it is placed at a channel as a new one would be,
     * and the answer is the payment after that first placement. FAILED_PRECONDITION /
     * PAYMENT_NOT_IN_REVIEW when it is not held (already decided, or expired).
     * </pre>
     */
    public dev.paycore.v1.ApproveReviewResponse approveReview(dev.paycore.v1.ApproveReviewRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getApproveReviewMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Rejects a payment held for review: it ends FAILED with failure.code RISK_REJECTED.
     * </pre>
     */
    public dev.paycore.v1.RejectReviewResponse rejectReview(dev.paycore.v1.RejectReviewRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getRejectReviewMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Lists every rule, config and runtime, by id.
     * </pre>
     */
    public dev.paycore.v1.ListRiskRulesResponse listRiskRules(dev.paycore.v1.ListRiskRulesRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListRiskRulesMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Creates or replaces the runtime rule of rule.id.
     * </pre>
     */
    public dev.paycore.v1.PutRiskRuleResponse putRiskRule(dev.paycore.v1.PutRiskRuleRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getPutRiskRuleMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Enables or disables a rule (a config rule through a runtime copy of it).
     * </pre>
     */
    public dev.paycore.v1.SetRiskRuleEnabledResponse setRiskRuleEnabled(dev.paycore.v1.SetRiskRuleEnabledRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getSetRiskRuleEnabledMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Deletes a runtime rule; the config rule of its id, if any, is in force again.
     * </pre>
     */
    public dev.paycore.v1.DeleteRiskRuleResponse deleteRiskRule(dev.paycore.v1.DeleteRiskRuleRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getDeleteRiskRuleMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Lists every list with its kind and entry count.
     * </pre>
     */
    public dev.paycore.v1.ListRiskListsResponse listRiskLists(dev.paycore.v1.ListRiskListsRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListRiskListsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Creates a list at runtime.
     * </pre>
     */
    public dev.paycore.v1.CreateRiskListResponse createRiskList(dev.paycore.v1.CreateRiskListRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getCreateRiskListMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Lists a list's entries in force, sorted.
     * </pre>
     */
    public dev.paycore.v1.ListRiskListEntriesResponse listRiskListEntries(dev.paycore.v1.ListRiskListEntriesRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListRiskListEntriesMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Adds entries to a list (one from the config file too).
     * </pre>
     */
    public dev.paycore.v1.AddRiskListEntriesResponse addRiskListEntries(dev.paycore.v1.AddRiskListEntriesRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getAddRiskListEntriesMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Removes runtime entries from a list; the config file's entries are refused.
     * </pre>
     */
    public dev.paycore.v1.RemoveRiskListEntriesResponse removeRiskListEntries(dev.paycore.v1.RemoveRiskListEntriesRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getRemoveRiskListEntriesMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * The audit trail of rule and list changes, newest first.
     * </pre>
     */
    public dev.paycore.v1.ListRiskAuditResponse listRiskAudit(dev.paycore.v1.ListRiskAuditRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListRiskAuditMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * What the rules in force would decide for a create request now, without storing a
     * payment or counting it.
     * </pre>
     */
    public dev.paycore.v1.EvaluateRiskResponse evaluateRisk(dev.paycore.v1.EvaluateRiskRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getEvaluateRiskMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do ListenableFuture-style rpc calls to service AdminService.
   * <pre>
   * Operator-only view and controls of the running node. Every call needs
   * `authorization: Bearer &lt;operator key&gt;`. Channel health (breaker, limiter, statistics) is
   * per node.
   * </pre>
   */
  public static final class AdminServiceFutureStub
      extends io.grpc.stub.AbstractFutureStub<AdminServiceFutureStub> {
    private AdminServiceFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected AdminServiceFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new AdminServiceFutureStub(channel, callOptions);
    }

    /**
     * <pre>
     * Lists the configured channels with their health.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.paycore.v1.ListChannelsResponse> listChannels(
        dev.paycore.v1.ListChannelsRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListChannelsMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Takes a channel out of routing (or puts it back) on this node.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.paycore.v1.SetChannelEnabledResponse> setChannelEnabled(
        dev.paycore.v1.SetChannelEnabledRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getSetChannelEnabledMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Injects faults into a sandbox channel, to rehearse an outage. Other channels refuse
     * with FAILED_PRECONDITION / NOT_A_SANDBOX_CHANNEL.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.paycore.v1.SetChannelFaultsResponse> setChannelFaults(
        dev.paycore.v1.SetChannelFaultsRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getSetChannelFaultsMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Creates a merchant with its first API key. A webhook URL is checked as it is set:
     * INVALID_ARGUMENT with a `webhook_url` violation when webhooks may not go there.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.paycore.v1.CreateMerchantResponse> createMerchant(
        dev.paycore.v1.CreateMerchantRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getCreateMerchantMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Lists every merchant, oldest first.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.paycore.v1.ListMerchantsResponse> listMerchants(
        dev.paycore.v1.ListMerchantsRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListMerchantsMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Gives a merchant another API key, optionally expiring.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.paycore.v1.CreateApiKeyResponse> createApiKey(
        dev.paycore.v1.CreateApiKeyRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getCreateApiKeyMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Lists a merchant's API keys, revoked and expired ones included (never the keys).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.paycore.v1.ListApiKeysResponse> listApiKeys(
        dev.paycore.v1.ListApiKeysRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListApiKeysMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Revokes an API key: refused at once on this node, within 30 s on every node.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.paycore.v1.RevokeApiKeyResponse> revokeApiKey(
        dev.paycore.v1.RevokeApiKeyRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getRevokeApiKeyMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Sets or removes a merchant's webhook URL; one disabled by a 410 is sent to again.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.paycore.v1.SetWebhookUrlResponse> setWebhookUrl(
        dev.paycore.v1.SetWebhookUrlRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getSetWebhookUrlMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Gives a merchant a new webhook secret; the old one also signs for `grace`.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.paycore.v1.RotateWebhookSecretResponse> rotateWebhookSecret(
        dev.paycore.v1.RotateWebhookSecretRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getRotateWebhookSecretMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Under mutual TLS, binds a merchant's keys to clients whose certificate is for one of
     * the given DNS names (none: any client); a call with another certificate is refused with
     * PERMISSION_DENIED / CLIENT_CERTIFICATE_NOT_ALLOWED.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.paycore.v1.SetClientNamesResponse> setClientNames(
        dev.paycore.v1.SetClientNamesRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getSetClientNamesMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Payments the risk rules hold for review (REQUIRES_REVIEW), oldest first.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.paycore.v1.ListReviewsResponse> listReviews(
        dev.paycore.v1.ListReviewsRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListReviewsMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Approves a payment held for review: it is placed at a channel as a new one would be,
     * and the answer is the payment after that first placement. FAILED_PRECONDITION /
     * PAYMENT_NOT_IN_REVIEW when it is not held (already decided, or expired).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.paycore.v1.ApproveReviewResponse> approveReview(
        dev.paycore.v1.ApproveReviewRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getApproveReviewMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Rejects a payment held for review: it ends FAILED with failure.code RISK_REJECTED.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.paycore.v1.RejectReviewResponse> rejectReview(
        dev.paycore.v1.RejectReviewRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getRejectReviewMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Lists every rule, config and runtime, by id.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.paycore.v1.ListRiskRulesResponse> listRiskRules(
        dev.paycore.v1.ListRiskRulesRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListRiskRulesMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Creates or replaces the runtime rule of rule.id.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.paycore.v1.PutRiskRuleResponse> putRiskRule(
        dev.paycore.v1.PutRiskRuleRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getPutRiskRuleMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Enables or disables a rule (a config rule through a runtime copy of it).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.paycore.v1.SetRiskRuleEnabledResponse> setRiskRuleEnabled(
        dev.paycore.v1.SetRiskRuleEnabledRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getSetRiskRuleEnabledMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Deletes a runtime rule; the config rule of its id, if any, is in force again.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.paycore.v1.DeleteRiskRuleResponse> deleteRiskRule(
        dev.paycore.v1.DeleteRiskRuleRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getDeleteRiskRuleMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Lists every list with its kind and entry count.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.paycore.v1.ListRiskListsResponse> listRiskLists(
        dev.paycore.v1.ListRiskListsRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListRiskListsMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Creates a list at runtime.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.paycore.v1.CreateRiskListResponse> createRiskList(
        dev.paycore.v1.CreateRiskListRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getCreateRiskListMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Lists a list's entries in force, sorted.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.paycore.v1.ListRiskListEntriesResponse> listRiskListEntries(
        dev.paycore.v1.ListRiskListEntriesRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListRiskListEntriesMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Adds entries to a list (one from the config file too).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.paycore.v1.AddRiskListEntriesResponse> addRiskListEntries(
        dev.paycore.v1.AddRiskListEntriesRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getAddRiskListEntriesMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Removes runtime entries from a list; the config file's entries are refused.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.paycore.v1.RemoveRiskListEntriesResponse> removeRiskListEntries(
        dev.paycore.v1.RemoveRiskListEntriesRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getRemoveRiskListEntriesMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * The audit trail of rule and list changes, newest first.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.paycore.v1.ListRiskAuditResponse> listRiskAudit(
        dev.paycore.v1.ListRiskAuditRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListRiskAuditMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * What the rules in force would decide for a create request now, without storing a
     * payment or counting it.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.paycore.v1.EvaluateRiskResponse> evaluateRisk(
        dev.paycore.v1.EvaluateRiskRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getEvaluateRiskMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_LIST_CHANNELS = 0;
  private static final int METHODID_SET_CHANNEL_ENABLED = 1;
  private static final int METHODID_SET_CHANNEL_FAULTS = 2;
  private static final int METHODID_CREATE_MERCHANT = 3;
  private static final int METHODID_LIST_MERCHANTS = 4;
  private static final int METHODID_CREATE_API_KEY = 5;
  private static final int METHODID_LIST_API_KEYS = 6;
  private static final int METHODID_REVOKE_API_KEY = 7;
  private static final int METHODID_SET_WEBHOOK_URL = 8;
  private static final int METHODID_ROTATE_WEBHOOK_SECRET = 9;
  private static final int METHODID_SET_CLIENT_NAMES = 10;
  private static final int METHODID_LIST_REVIEWS = 11;
  private static final int METHODID_APPROVE_REVIEW = 12;
  private static final int METHODID_REJECT_REVIEW = 13;
  private static final int METHODID_LIST_RISK_RULES = 14;
  private static final int METHODID_PUT_RISK_RULE = 15;
  private static final int METHODID_SET_RISK_RULE_ENABLED = 16;
  private static final int METHODID_DELETE_RISK_RULE = 17;
  private static final int METHODID_LIST_RISK_LISTS = 18;
  private static final int METHODID_CREATE_RISK_LIST = 19;
  private static final int METHODID_LIST_RISK_LIST_ENTRIES = 20;
  private static final int METHODID_ADD_RISK_LIST_ENTRIES = 21;
  private static final int METHODID_REMOVE_RISK_LIST_ENTRIES = 22;
  private static final int METHODID_LIST_RISK_AUDIT = 23;
  private static final int METHODID_EVALUATE_RISK = 24;

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
        case METHODID_LIST_CHANNELS:
          serviceImpl.listChannels((dev.paycore.v1.ListChannelsRequest) request,
              (io.grpc.stub.StreamObserver<dev.paycore.v1.ListChannelsResponse>) responseObserver);
          break;
        case METHODID_SET_CHANNEL_ENABLED:
          serviceImpl.setChannelEnabled((dev.paycore.v1.SetChannelEnabledRequest) request,
              (io.grpc.stub.StreamObserver<dev.paycore.v1.SetChannelEnabledResponse>) responseObserver);
          break;
        case METHODID_SET_CHANNEL_FAULTS:
          serviceImpl.setChannelFaults((dev.paycore.v1.SetChannelFaultsRequest) request,
              (io.grpc.stub.StreamObserver<dev.paycore.v1.SetChannelFaultsResponse>) responseObserver);
          break;
        case METHODID_CREATE_MERCHANT:
          serviceImpl.createMerchant((dev.paycore.v1.CreateMerchantRequest) request,
              (io.grpc.stub.StreamObserver<dev.paycore.v1.CreateMerchantResponse>) responseObserver);
          break;
        case METHODID_LIST_MERCHANTS:
          serviceImpl.listMerchants((dev.paycore.v1.ListMerchantsRequest) request,
              (io.grpc.stub.StreamObserver<dev.paycore.v1.ListMerchantsResponse>) responseObserver);
          break;
        case METHODID_CREATE_API_KEY:
          serviceImpl.createApiKey((dev.paycore.v1.CreateApiKeyRequest) request,
              (io.grpc.stub.StreamObserver<dev.paycore.v1.CreateApiKeyResponse>) responseObserver);
          break;
        case METHODID_LIST_API_KEYS:
          serviceImpl.listApiKeys((dev.paycore.v1.ListApiKeysRequest) request,
              (io.grpc.stub.StreamObserver<dev.paycore.v1.ListApiKeysResponse>) responseObserver);
          break;
        case METHODID_REVOKE_API_KEY:
          serviceImpl.revokeApiKey((dev.paycore.v1.RevokeApiKeyRequest) request,
              (io.grpc.stub.StreamObserver<dev.paycore.v1.RevokeApiKeyResponse>) responseObserver);
          break;
        case METHODID_SET_WEBHOOK_URL:
          serviceImpl.setWebhookUrl((dev.paycore.v1.SetWebhookUrlRequest) request,
              (io.grpc.stub.StreamObserver<dev.paycore.v1.SetWebhookUrlResponse>) responseObserver);
          break;
        case METHODID_ROTATE_WEBHOOK_SECRET:
          serviceImpl.rotateWebhookSecret((dev.paycore.v1.RotateWebhookSecretRequest) request,
              (io.grpc.stub.StreamObserver<dev.paycore.v1.RotateWebhookSecretResponse>) responseObserver);
          break;
        case METHODID_SET_CLIENT_NAMES:
          serviceImpl.setClientNames((dev.paycore.v1.SetClientNamesRequest) request,
              (io.grpc.stub.StreamObserver<dev.paycore.v1.SetClientNamesResponse>) responseObserver);
          break;
        case METHODID_LIST_REVIEWS:
          serviceImpl.listReviews((dev.paycore.v1.ListReviewsRequest) request,
              (io.grpc.stub.StreamObserver<dev.paycore.v1.ListReviewsResponse>) responseObserver);
          break;
        case METHODID_APPROVE_REVIEW:
          serviceImpl.approveReview((dev.paycore.v1.ApproveReviewRequest) request,
              (io.grpc.stub.StreamObserver<dev.paycore.v1.ApproveReviewResponse>) responseObserver);
          break;
        case METHODID_REJECT_REVIEW:
          serviceImpl.rejectReview((dev.paycore.v1.RejectReviewRequest) request,
              (io.grpc.stub.StreamObserver<dev.paycore.v1.RejectReviewResponse>) responseObserver);
          break;
        case METHODID_LIST_RISK_RULES:
          serviceImpl.listRiskRules((dev.paycore.v1.ListRiskRulesRequest) request,
              (io.grpc.stub.StreamObserver<dev.paycore.v1.ListRiskRulesResponse>) responseObserver);
          break;
        case METHODID_PUT_RISK_RULE:
          serviceImpl.putRiskRule((dev.paycore.v1.PutRiskRuleRequest) request,
              (io.grpc.stub.StreamObserver<dev.paycore.v1.PutRiskRuleResponse>) responseObserver);
          break;
        case METHODID_SET_RISK_RULE_ENABLED:
          serviceImpl.setRiskRuleEnabled((dev.paycore.v1.SetRiskRuleEnabledRequest) request,
              (io.grpc.stub.StreamObserver<dev.paycore.v1.SetRiskRuleEnabledResponse>) responseObserver);
          break;
        case METHODID_DELETE_RISK_RULE:
          serviceImpl.deleteRiskRule((dev.paycore.v1.DeleteRiskRuleRequest) request,
              (io.grpc.stub.StreamObserver<dev.paycore.v1.DeleteRiskRuleResponse>) responseObserver);
          break;
        case METHODID_LIST_RISK_LISTS:
          serviceImpl.listRiskLists((dev.paycore.v1.ListRiskListsRequest) request,
              (io.grpc.stub.StreamObserver<dev.paycore.v1.ListRiskListsResponse>) responseObserver);
          break;
        case METHODID_CREATE_RISK_LIST:
          serviceImpl.createRiskList((dev.paycore.v1.CreateRiskListRequest) request,
              (io.grpc.stub.StreamObserver<dev.paycore.v1.CreateRiskListResponse>) responseObserver);
          break;
        case METHODID_LIST_RISK_LIST_ENTRIES:
          serviceImpl.listRiskListEntries((dev.paycore.v1.ListRiskListEntriesRequest) request,
              (io.grpc.stub.StreamObserver<dev.paycore.v1.ListRiskListEntriesResponse>) responseObserver);
          break;
        case METHODID_ADD_RISK_LIST_ENTRIES:
          serviceImpl.addRiskListEntries((dev.paycore.v1.AddRiskListEntriesRequest) request,
              (io.grpc.stub.StreamObserver<dev.paycore.v1.AddRiskListEntriesResponse>) responseObserver);
          break;
        case METHODID_REMOVE_RISK_LIST_ENTRIES:
          serviceImpl.removeRiskListEntries((dev.paycore.v1.RemoveRiskListEntriesRequest) request,
              (io.grpc.stub.StreamObserver<dev.paycore.v1.RemoveRiskListEntriesResponse>) responseObserver);
          break;
        case METHODID_LIST_RISK_AUDIT:
          serviceImpl.listRiskAudit((dev.paycore.v1.ListRiskAuditRequest) request,
              (io.grpc.stub.StreamObserver<dev.paycore.v1.ListRiskAuditResponse>) responseObserver);
          break;
        case METHODID_EVALUATE_RISK:
          serviceImpl.evaluateRisk((dev.paycore.v1.EvaluateRiskRequest) request,
              (io.grpc.stub.StreamObserver<dev.paycore.v1.EvaluateRiskResponse>) responseObserver);
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
          getListChannelsMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.paycore.v1.ListChannelsRequest,
              dev.paycore.v1.ListChannelsResponse>(
                service, METHODID_LIST_CHANNELS)))
        .addMethod(
          getSetChannelEnabledMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.paycore.v1.SetChannelEnabledRequest,
              dev.paycore.v1.SetChannelEnabledResponse>(
                service, METHODID_SET_CHANNEL_ENABLED)))
        .addMethod(
          getSetChannelFaultsMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.paycore.v1.SetChannelFaultsRequest,
              dev.paycore.v1.SetChannelFaultsResponse>(
                service, METHODID_SET_CHANNEL_FAULTS)))
        .addMethod(
          getCreateMerchantMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.paycore.v1.CreateMerchantRequest,
              dev.paycore.v1.CreateMerchantResponse>(
                service, METHODID_CREATE_MERCHANT)))
        .addMethod(
          getListMerchantsMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.paycore.v1.ListMerchantsRequest,
              dev.paycore.v1.ListMerchantsResponse>(
                service, METHODID_LIST_MERCHANTS)))
        .addMethod(
          getCreateApiKeyMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.paycore.v1.CreateApiKeyRequest,
              dev.paycore.v1.CreateApiKeyResponse>(
                service, METHODID_CREATE_API_KEY)))
        .addMethod(
          getListApiKeysMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.paycore.v1.ListApiKeysRequest,
              dev.paycore.v1.ListApiKeysResponse>(
                service, METHODID_LIST_API_KEYS)))
        .addMethod(
          getRevokeApiKeyMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.paycore.v1.RevokeApiKeyRequest,
              dev.paycore.v1.RevokeApiKeyResponse>(
                service, METHODID_REVOKE_API_KEY)))
        .addMethod(
          getSetWebhookUrlMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.paycore.v1.SetWebhookUrlRequest,
              dev.paycore.v1.SetWebhookUrlResponse>(
                service, METHODID_SET_WEBHOOK_URL)))
        .addMethod(
          getRotateWebhookSecretMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.paycore.v1.RotateWebhookSecretRequest,
              dev.paycore.v1.RotateWebhookSecretResponse>(
                service, METHODID_ROTATE_WEBHOOK_SECRET)))
        .addMethod(
          getSetClientNamesMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.paycore.v1.SetClientNamesRequest,
              dev.paycore.v1.SetClientNamesResponse>(
                service, METHODID_SET_CLIENT_NAMES)))
        .addMethod(
          getListReviewsMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.paycore.v1.ListReviewsRequest,
              dev.paycore.v1.ListReviewsResponse>(
                service, METHODID_LIST_REVIEWS)))
        .addMethod(
          getApproveReviewMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.paycore.v1.ApproveReviewRequest,
              dev.paycore.v1.ApproveReviewResponse>(
                service, METHODID_APPROVE_REVIEW)))
        .addMethod(
          getRejectReviewMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.paycore.v1.RejectReviewRequest,
              dev.paycore.v1.RejectReviewResponse>(
                service, METHODID_REJECT_REVIEW)))
        .addMethod(
          getListRiskRulesMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.paycore.v1.ListRiskRulesRequest,
              dev.paycore.v1.ListRiskRulesResponse>(
                service, METHODID_LIST_RISK_RULES)))
        .addMethod(
          getPutRiskRuleMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.paycore.v1.PutRiskRuleRequest,
              dev.paycore.v1.PutRiskRuleResponse>(
                service, METHODID_PUT_RISK_RULE)))
        .addMethod(
          getSetRiskRuleEnabledMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.paycore.v1.SetRiskRuleEnabledRequest,
              dev.paycore.v1.SetRiskRuleEnabledResponse>(
                service, METHODID_SET_RISK_RULE_ENABLED)))
        .addMethod(
          getDeleteRiskRuleMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.paycore.v1.DeleteRiskRuleRequest,
              dev.paycore.v1.DeleteRiskRuleResponse>(
                service, METHODID_DELETE_RISK_RULE)))
        .addMethod(
          getListRiskListsMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.paycore.v1.ListRiskListsRequest,
              dev.paycore.v1.ListRiskListsResponse>(
                service, METHODID_LIST_RISK_LISTS)))
        .addMethod(
          getCreateRiskListMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.paycore.v1.CreateRiskListRequest,
              dev.paycore.v1.CreateRiskListResponse>(
                service, METHODID_CREATE_RISK_LIST)))
        .addMethod(
          getListRiskListEntriesMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.paycore.v1.ListRiskListEntriesRequest,
              dev.paycore.v1.ListRiskListEntriesResponse>(
                service, METHODID_LIST_RISK_LIST_ENTRIES)))
        .addMethod(
          getAddRiskListEntriesMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.paycore.v1.AddRiskListEntriesRequest,
              dev.paycore.v1.AddRiskListEntriesResponse>(
                service, METHODID_ADD_RISK_LIST_ENTRIES)))
        .addMethod(
          getRemoveRiskListEntriesMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.paycore.v1.RemoveRiskListEntriesRequest,
              dev.paycore.v1.RemoveRiskListEntriesResponse>(
                service, METHODID_REMOVE_RISK_LIST_ENTRIES)))
        .addMethod(
          getListRiskAuditMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.paycore.v1.ListRiskAuditRequest,
              dev.paycore.v1.ListRiskAuditResponse>(
                service, METHODID_LIST_RISK_AUDIT)))
        .addMethod(
          getEvaluateRiskMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.paycore.v1.EvaluateRiskRequest,
              dev.paycore.v1.EvaluateRiskResponse>(
                service, METHODID_EVALUATE_RISK)))
        .build();
  }

  private static abstract class AdminServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    AdminServiceBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return dev.paycore.v1.AdminProto.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("AdminService");
    }
  }

  private static final class AdminServiceFileDescriptorSupplier
      extends AdminServiceBaseDescriptorSupplier {
    AdminServiceFileDescriptorSupplier() {}
  }

  private static final class AdminServiceMethodDescriptorSupplier
      extends AdminServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final java.lang.String methodName;

    AdminServiceMethodDescriptorSupplier(java.lang.String methodName) {
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
      synchronized (AdminServiceGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new AdminServiceFileDescriptorSupplier())
              .addMethod(getListChannelsMethod())
              .addMethod(getSetChannelEnabledMethod())
              .addMethod(getSetChannelFaultsMethod())
              .addMethod(getCreateMerchantMethod())
              .addMethod(getListMerchantsMethod())
              .addMethod(getCreateApiKeyMethod())
              .addMethod(getListApiKeysMethod())
              .addMethod(getRevokeApiKeyMethod())
              .addMethod(getSetWebhookUrlMethod())
              .addMethod(getRotateWebhookSecretMethod())
              .addMethod(getSetClientNamesMethod())
              .addMethod(getListReviewsMethod())
              .addMethod(getApproveReviewMethod())
              .addMethod(getRejectReviewMethod())
              .addMethod(getListRiskRulesMethod())
              .addMethod(getPutRiskRuleMethod())
              .addMethod(getSetRiskRuleEnabledMethod())
              .addMethod(getDeleteRiskRuleMethod())
              .addMethod(getListRiskListsMethod())
              .addMethod(getCreateRiskListMethod())
              .addMethod(getListRiskListEntriesMethod())
              .addMethod(getAddRiskListEntriesMethod())
              .addMethod(getRemoveRiskListEntriesMethod())
              .addMethod(getListRiskAuditMethod())
              .addMethod(getEvaluateRiskMethod())
              .build();
        }
      }
    }
    return result;
  }
}
