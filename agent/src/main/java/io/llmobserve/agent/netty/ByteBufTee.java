package io.llmobserve.agent.netty;

import io.llmobserve.agent.common.LlmExchange;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;

/**
 * Shows a message's readable bytes to the exchange without changing the buffer: no reader index
 * moves, no retain or release. Heap buffers are read in place, direct and composite ones copied
 * through a per-thread scratch array.
 */
final class ByteBufTee {
  private static final int COPY_CHUNK = 8192;

  private ByteBufTee() {}

  /** The bytes of a ByteBuf or an HttpContent (any ByteBufHolder); anything else is ignored. */
  static void show(LlmExchange exchange, Object msg, boolean response) {
    try {
      ByteBuf buf;
      if (msg instanceof ByteBufHolder) {
        buf = ((ByteBufHolder) msg).content();
      } else if (msg instanceof ByteBuf) {
        buf = (ByteBuf) msg;
      } else {
        return;
      }
      if (buf == null || buf.refCnt() <= 0) {
        return;
      }
      show(exchange, buf, response);
    } catch (Throwable ignored) {
      // never disturb the app
    }
  }

  private static void show(LlmExchange exchange, ByteBuf buf, boolean response) {
    int length = buf.readableBytes();
    if (length <= 0) {
      return;
    }
    int index = buf.readerIndex();
    if (buf.hasArray()) {
      feed(exchange, buf.array(), buf.arrayOffset() + index, length, response);
      return;
    }
    // Direct and composite buffers: copied through the event loop's scratch array, a chunk at a
    // time. (An NIO view of direct memory is a new ByteBuffer per message: most of the Netty
    // hook's allocation per streamed call; the copy is a memcpy of bytes about to be read.)
    byte[] scratch = scratch();
    for (int done = 0; done < length; ) {
      int n = Math.min(scratch.length, length - done);
      buf.getBytes(index + done, scratch, 0, n);
      feed(exchange, scratch, 0, n, response);
      done += n;
    }
  }

  /**
   * One array per event-loop thread (bounded: COPY_CHUNK bytes times the client's threads). Used
   * only within one {@link #show}: the exchange copies what it keeps and calls nothing that could
   * show another message on this thread meanwhile.
   */
  private static byte[] scratch() {
    byte[] s = SCRATCH.get();
    if (s == null) {
      s = new byte[COPY_CHUNK];
      SCRATCH.set(s);
    }
    return s;
  }

  private static final ThreadLocal<byte[]> SCRATCH = new ThreadLocal<>();

  private static void feed(
      LlmExchange exchange, byte[] bytes, int offset, int length, boolean response) {
    if (response) {
      exchange.responseBody(bytes, offset, length);
    } else {
      exchange.requestBody(bytes, offset, length);
    }
  }
}
