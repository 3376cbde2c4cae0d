package io.llmobserve.agent.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpClientCodec;

/**
 * Where in a pipeline client requests and responses are HTTP objects, and putting our handler right
 * above that point, once per pipeline:
 *
 * <ul>
 *   <li>{@code HttpClientCodec}: HTTP/1.1 (Reactor Netty, the AWS SDK);
 *   <li>{@code Http2StreamFrameToHttpObjectCodec} in a client's HTTP/2 stream channel (Reactor
 *       Netty over HTTP/2; one stream channel per call);
 *   <li>the AWS SDK's own {@code HttpToHttp2OutboundAdapter}, added to each HTTP/2 stream channel
 *       after its {@code Http2ToHttpInboundAdapter}.
 * </ul>
 *
 * Everything else (servers, other protocols) is left alone.
 */
public final class NettyPipelines {
  static final String HANDLER_NAME = "io.llmobserve.agent.netty.LlmNettyHandler";
  private static final String H2_STREAM_CODEC =
      "io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec";
  private static final String AWS_H2_OUTBOUND_ADAPTER =
      "software.amazon.awssdk.http.nio.netty.internal.http2.HttpToHttp2OutboundAdapter";

  private NettyPipelines() {}

  /** Called after any handler was added to a pipeline. Never throws. */
  public static void handlerAdded(ChannelPipeline pipeline, ChannelHandler handler) {
    try {
      if (handler == null
          || handler instanceof LlmNettyHandler
          || !isClientHttpBoundary(pipeline, handler)) {
        return;
      }
      if (pipeline.get(HANDLER_NAME) != null) {
        return;
      }
      ChannelHandlerContext added = pipeline.context(handler);
      if (added == null) {
        return;
      }
      pipeline.addAfter(added.name(), HANDLER_NAME, new LlmNettyHandler());
    } catch (Throwable ignored) {
      // a pipeline we cannot change stays unobserved
    }
  }

  private static boolean isClientHttpBoundary(ChannelPipeline pipeline, ChannelHandler handler) {
    if (handler instanceof HttpClientCodec) {
      return true;
    }
    String name = handler.getClass().getName();
    if (name.equals(AWS_H2_OUTBOUND_ADAPTER)) {
      return true;
    }
    if (name.equals(H2_STREAM_CODEC)) {
      // the same codec serves servers: a client's stream hangs off a connection without a parent
      Channel stream = pipeline.channel();
      Channel connection = stream == null ? null : stream.parent();
      return connection != null && connection.parent() == null;
    }
    return false;
  }
}
