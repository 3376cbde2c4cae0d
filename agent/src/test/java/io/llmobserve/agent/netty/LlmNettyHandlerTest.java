package io.llmobserve.agent.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Netty hook with real Netty codecs (EmbeddedChannel, no agent): where it goes, and that an LLM
 * call's bytes go through unchanged, with reader indexes and reference counts exactly as without
 * it, for heap, direct and composite buffers. The spans themselves are proven by the forked-JVM
 * tests (agent-tests NettyAppsAgentTest, BedrockAsyncAgentTest).
 */
class LlmNettyHandlerTest {
  static final String BODY_START = "{\"model\":\"gpt-4o-mini\",\"stream\":true,";
  static final String BODY_END = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  static final String EVENT_1 = "data: {\"id\":\"c1\",\"model\":\"m\"}\n\n";
  static final String EVENT_2 = "data: [DONE]\n\n";
  static final String RESPONSE =
      "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n"
          + "x-request-id: req_1\r\ntransfer-encoding: chunked\r\n\r\n"
          + Integer.toHexString(EVENT_1.length())
          + "\r\n"
          + EVENT_1
          + "\r\n"
          + Integer.toHexString(EVENT_2.length())
          + "\r\n"
          + EVENT_2
          + "\r\n0\r\n\r\n";

  /** Records what reaches the codec: reader index and refCnt of each content as it arrives. */
  static final class Probe extends ChannelOutboundHandlerAdapter {
    final List<String> seen = new ArrayList<>();

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      if (msg instanceof HttpContent) {
        ByteBuf c = ((HttpContent) msg).content();
        seen.add(c.readerIndex() + "/" + c.readableBytes() + "/" + c.refCnt());
      }
      ctx.write(msg, promise);
    }
  }

  static EmbeddedChannel client(boolean observed, Probe probe) {
    EmbeddedChannel ch = new EmbeddedChannel();
    HttpClientCodec codec = new HttpClientCodec();
    ch.pipeline().addLast("codec", codec);
    if (observed) {
      NettyPipelines.handlerAdded(ch.pipeline(), codec);
    }
    ch.pipeline().addAfter("codec", "probe", probe);
    return ch;
  }

  static List<Object> request(boolean direct) {
    HttpRequest head =
        new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/chat/completions?x=1");
    head.headers()
        .set(HttpHeaderNames.HOST, "api.openai.com")
        .set(HttpHeaderNames.TRANSFER_ENCODING, "chunked");
    ByteBuf first = direct ? Unpooled.directBuffer() : Unpooled.buffer();
    first
        .writeBytes("xx".getBytes(StandardCharsets.UTF_8))
        .writeBytes(BODY_START.getBytes(StandardCharsets.UTF_8));
    first.readerIndex(2); // a buffer whose readable part does not start at 0
    CompositeByteBuf second = Unpooled.compositeBuffer();
    byte[] end = BODY_END.getBytes(StandardCharsets.UTF_8);
    second.addComponent(true, Unpooled.directBuffer().writeBytes(end, 0, 10));
    second.addComponent(true, Unpooled.wrappedBuffer(end, 10, end.length - 10));
    return List.of(
        head,
        new DefaultHttpContent(first),
        new DefaultHttpContent(second),
        LastHttpContent.EMPTY_LAST_CONTENT);
  }

  static String run(
      boolean observed, boolean direct, List<String> probeOut, List<Integer> refCountsAfter) {
    Probe probe = new Probe();
    EmbeddedChannel ch = client(observed, probe);
    List<Object> req = request(direct);
    for (Object m : req) {
      ch.write(m);
    }
    ch.flush();
    for (Object m : req) {
      if (m instanceof HttpContent) {
        refCountsAfter.add(((HttpContent) m).content().refCnt());
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object o; (o = ch.readOutbound()) != null; ) {
      ByteBuf b = (ByteBuf) o;
      byte[] bytes = new byte[b.readableBytes()];
      b.readBytes(bytes);
      out.writeBytes(bytes);
      b.release();
    }
    // the response arrives in two reads, split inside a chunk
    byte[] resp = RESPONSE.getBytes(StandardCharsets.UTF_8);
    ch.writeInbound(Unpooled.wrappedBuffer(resp, 0, 90));
    ch.writeInbound(Unpooled.wrappedBuffer(resp, 90, resp.length - 90));
    StringBuilder in = new StringBuilder();
    for (Object o; (o = ch.readInbound()) != null; ) {
      in.append(o.getClass().getSimpleName()).append(':');
      if (o instanceof HttpContent) {
        ByteBuf c = ((HttpContent) o).content();
        in.append(c.readerIndex()).append(':').append(c.toString(StandardCharsets.UTF_8));
        ((HttpContent) o).release();
      }
      in.append('|');
    }
    LlmNettyHandler handler = ch.pipeline().get(LlmNettyHandler.class);
    assertThat(handler == null || !handler.hasOpenCall())
        .as("the call ended with the last content")
        .isTrue();
    probeOut.addAll(probe.seen);
    ch.finishAndReleaseAll();
    return out.toString(StandardCharsets.ISO_8859_1) + "\n---\n" + in;
  }

  @Test
  void goesRightAboveTheClientCodecOnceAndNeverIntoServers() {
    EmbeddedChannel ch = new EmbeddedChannel();
    HttpClientCodec codec = new HttpClientCodec();
    ch.pipeline().addLast("codec", codec);
    NettyPipelines.handlerAdded(ch.pipeline(), codec);
    NettyPipelines.handlerAdded(ch.pipeline(), codec);
    assertThat(ch.pipeline().names())
        .startsWith("codec", NettyPipelines.HANDLER_NAME)
        .filteredOn(NettyPipelines.HANDLER_NAME::equals)
        .hasSize(1);

    EmbeddedChannel server = new EmbeddedChannel();
    HttpServerCodec serverCodec = new HttpServerCodec();
    server.pipeline().addLast("codec", serverCodec);
    NettyPipelines.handlerAdded(server.pipeline(), serverCodec);
    assertThat(server.pipeline().get(NettyPipelines.HANDLER_NAME)).isNull();
  }

  @Test
  void heapBuffersPassUnchangedWithIndexesAndRefCountsAsWithout() {
    assertSameAsWithout(false);
  }

  @Test
  void directAndCompositeBuffersPassUnchangedWithIndexesAndRefCountsAsWithout() {
    assertSameAsWithout(true);
  }

  private static void assertSameAsWithout(boolean direct) {
    List<String> probeWithout = new ArrayList<>();
    List<Integer> refsWithout = new ArrayList<>();
    String without = run(false, direct, probeWithout, refsWithout);
    List<String> probeWith = new ArrayList<>();
    List<Integer> refsWith = new ArrayList<>();
    String with = run(true, direct, probeWith, refsWith);
    assertThat(with).as("bytes on the wire and as the app reads them").isEqualTo(without);
    assertThat(without).contains(BODY_START).contains("data: [DONE]");
    assertThat(probeWith)
        .as("reader index / readable / refCnt at the codec")
        .isEqualTo(probeWithout);
    assertThat(refsWith).as("refCnt after the write").isEqualTo(refsWithout);
  }
}
