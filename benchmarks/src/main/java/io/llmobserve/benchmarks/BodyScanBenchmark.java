package io.llmobserve.benchmarks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import io.llmobserve.providers.HeaderReader;
import io.llmobserve.providers.LlmCall;
import io.llmobserve.providers.LlmEndpoint;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Body scanning throughput of {@link LlmCall} (the incremental scanner as the agent drives it, fed
 * in 8 KiB chunks) versus Jackson's streaming parser over the same bytes, extracting the same few
 * values (model, usage). The {@code bytes} secondary result is bytes per second (divide by 1e6 for
 * MB/s); compare rows of the same payload.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar BodyScan -f 1 -wi 3 -i 5}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class BodyScanBenchmark {
  static final int CHUNK = 8192;

  /** request: ~1 MB chat request; response: ~2 KB chat completion; sse: 200-chunk stream. */
  @Param({"request", "response", "sse"})
  public String payload;

  private byte[] body;
  private final JsonFactory jackson = new JsonFactory();
  private static final LlmEndpoint ENDPOINT = new LlmEndpoint("openai", "chat");
  private static final HeaderReader JSON =
      name -> "content-type".equals(name) ? "application/json" : null;
  private static final HeaderReader SSE =
      name -> "content-type".equals(name) ? "text/event-stream" : null;

  /** Bytes processed, reported by JMH as a rate. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Bytes {
    public long bytes;

    @Setup(Level.Iteration)
    public void clear() {
      bytes = 0;
    }
  }

  @Setup
  public void setUp() {
    switch (payload) {
      case "request":
        body = Payloads.chatRequest(1 << 20);
        break;
      case "response":
        body = Payloads.chatResponse();
        break;
      default:
        body = Payloads.sseStream(200);
    }
  }

  @Benchmark
  public long llmCall(Bytes counter) {
    LlmCall call = new LlmCall(ENDPOINT, 0L, false);
    boolean request = payload.equals("request");
    if (!request) {
      call.responseHeaders(200, payload.equals("sse") ? SSE : JSON);
    }
    for (int p = 0; p < body.length; p += CHUNK) {
      int n = Math.min(CHUNK, body.length - p);
      if (request) {
        call.requestBody(body, p, n);
      } else {
        call.responseBody(body, p, n);
      }
    }
    call.responseEnd();
    counter.bytes += body.length;
    return request ? call.requestModel().length() : call.inputTokens() + call.outputTokens();
  }

  /** Jackson's blocking parser over the whole array (SSE: one parser per data line). */
  @Benchmark
  public long jacksonBlocking(Bytes counter) throws IOException {
    long r;
    if (payload.equals("sse")) {
      r = 0;
      int p = 0;
      while (p < body.length) {
        int eol = p;
        while (eol < body.length && body[eol] != '\n') {
          eol++;
        }
        if (eol - p > 6 && body[p] == 'd' && body[p + 6] == '{') { // "data: {"
          try (JsonParser parser = jackson.createParser(body, p + 6, eol - p - 6)) {
            r += extract(parser);
          }
        }
        p = eol + 1;
      }
    } else {
      try (JsonParser parser = jackson.createParser(body)) {
        r = extract(parser);
      }
    }
    counter.bytes += body.length;
    return r;
  }

  /** Jackson's non-blocking parser fed in the same 8 KiB chunks (the incremental equivalent). */
  @Benchmark
  public long jacksonNonBlocking(Bytes counter) throws IOException {
    if (payload.equals("sse")) {
      return jacksonBlocking(counter); // events are small: per-event parsing is what SDKs do
    }
    long r = 0;
    try (JsonParser parser = jackson.createNonBlockingByteArrayParser()) {
      ByteArrayFeeder feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
      int p = 0;
      JsonToken t;
      String field = null;
      while (true) {
        t = parser.nextToken();
        if (t == JsonToken.NOT_AVAILABLE) {
          if (p >= body.length) {
            feeder.endOfInput();
            continue;
          }
          int n = Math.min(CHUNK, body.length - p);
          feeder.feedInput(body, p, p + n);
          p += n;
          continue;
        }
        if (t == null) {
          break;
        }
        if (t == JsonToken.FIELD_NAME) {
          field = parser.currentName();
        } else if (t == JsonToken.VALUE_STRING
            && "model".equals(field)
            && parser.getParsingContext().getParent().inRoot()) {
          r += parser.getText().length();
        } else if (t == JsonToken.VALUE_NUMBER_INT
            && ("prompt_tokens".equals(field) || "completion_tokens".equals(field))) {
          r += parser.getLongValue();
        }
      }
    }
    counter.bytes += body.length;
    return r;
  }

  private static long extract(JsonParser parser) throws IOException {
    long r = 0;
    JsonToken t;
    while ((t = parser.nextToken()) != null) {
      if (t == JsonToken.VALUE_STRING) {
        String name = parser.currentName();
        if ("model".equals(name) && parser.getParsingContext().getParent().inRoot()) {
          r += parser.getText().length();
        }
      } else if (t == JsonToken.VALUE_NUMBER_INT) {
        String name = parser.currentName();
        if ("prompt_tokens".equals(name) || "completion_tokens".equals(name)) {
          r += parser.getLongValue();
        }
      }
    }
    return r;
  }
}
