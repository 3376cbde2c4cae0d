package io.llmobserve.agent.netty;

import io.llmobserve.agent.common.LlmExchange;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import java.nio.ByteBuffer;

/**
 * Shows a message's readable bytes to the exchange without changing the buffer: no reader index
 * moves, no retain or release. Heap buffers are read in place, direct and composite ones through
 * NIO views of the same memory.
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
    int count = buf.nioBufferCount();
    if (count == 1) {
      feed(exchange, buf.nioBuffer(index, length), response);
    } else if (count > 1) {
      for (ByteBuffer part : buf.nioBuffers(index, length)) {
        feed(exchange, part, response);
      }
    } else {
      byte[] chunk = new byte[Math.min(length, COPY_CHUNK)];
      for (int done = 0; done < length; ) {
        int n = Math.min(chunk.length, length - done);
        buf.getBytes(index + done, chunk, 0, n);
        feed(exchange, chunk, 0, n, response);
        done += n;
      }
    }
  }

  private static void feed(
      LlmExchange exchange, byte[] bytes, int offset, int length, boolean response) {
    if (response) {
      exchange.responseBody(bytes, offset, length);
    } else {
      exchange.requestBody(bytes, offset, length);
    }
  }

  private static void feed(LlmExchange exchange, ByteBuffer view, boolean response) {
    if (response) {
      exchange.responseBody(view);
    } else {
      exchange.requestBody(view);
    }
  }
}
