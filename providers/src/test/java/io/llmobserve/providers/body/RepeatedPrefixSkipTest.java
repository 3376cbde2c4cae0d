package io.llmobserve.providers.body;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmobserve.providers.TestSupport;
import io.llmobserve.providers.json.ByteSink;
import io.llmobserve.providers.usage.UsageText;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * An SSE stream reads the same with and without skipping what each event repeats of the one before
 * it (JsonScanner#setSkipRepeatedPrefix), in every chunking, and the skip does happen.
 */
class RepeatedPrefixSkipTest {
  private static final String[] FIXTURES = {
    "openai-chat-stream.sse",
    "azure-chat-stream.sse",
    "anthropic-messages-stream.sse",
    "openai-responses-stream.sse"
  };

  @Test
  void everyStreamReadsTheSameWithTheSkipInEveryChunking() {
    List<byte[]> streams = new ArrayList<>();
    for (String f : FIXTURES) {
      streams.add(TestSupport.fixture(f));
    }
    streams.add(openAiStream(40, true, false, false));
    streams.add(openAiStream(40, false, true, false)); // tool-call argument deltas, no usage
    streams.add(openAiStream(40, true, false, true)); // the id changes half way
    streams.add(withErrorEvent(openAiStream(10, false, false, false)));
    Random random = new Random(11);
    for (byte[] stream : streams) {
      String name = new String(stream, 0, Math.min(60, stream.length), StandardCharsets.UTF_8);
      List<List<int[]>> chunkings = new ArrayList<>();
      chunkings.add(TestSupport.whole(stream.length));
      chunkings.add(eventChunks(stream));
      for (int k = 0; k < 40; k++) {
        int maxChunk = 1 + random.nextInt(k < 20 ? 64 : 700);
        chunkings.add(TestSupport.randomChunks(stream.length, random.nextLong(), maxChunk));
      }
      for (List<int[]> chunks : chunkings) {
        Result skipping = read(stream, chunks, true);
        Result scanning = read(stream, chunks, false);
        assertThat(skipping).as(name).isEqualTo(scanning);
      }
    }
  }

  @Test
  void eventsThatRepeatTheirHeadAreNotScannedAgain() {
    byte[] stream = openAiStream(50, true, false, false);
    ResponseBodyReader reader = new ResponseBodyReader(true);
    ByteSink sink = reader.pipeline(BodyFormat.SSE, null);
    feed(sink, stream, eventChunks(stream));
    // 49 of the 50 content events skip their head (id, object, created, model, fingerprint, up
    // to the delta's text): most of the stream
    assertThat(reader.scanner().skippedBytes()).isGreaterThan(stream.length / 2);
    assertThat(reader.model).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(reader.outputTokens()).isEqualTo(50);
    assertThat(reader.outputMessages())
        .contains("word0 word0 word1 word1 ")
        .contains("word24 word24");
  }

  private record Result(
      String model,
      String id,
      long input,
      long output,
      long cacheRead,
      long reasoning,
      List<String> finishReasons,
      String fingerprint,
      String serviceTier,
      String error,
      String output_,
      List<String> usageText,
      long missed,
      int messages) {}

  private static Result read(byte[] stream, List<int[]> chunks, boolean skip) {
    ResponseBodyReader reader = new ResponseBodyReader(true);
    UsageText text = new UsageText(UsageText.DEFAULT_MAX_CHARS);
    reader.collectUsageText(text);
    ByteSink sink = reader.pipeline(BodyFormat.SSE, null);
    reader.scanner().setSkipRepeatedPrefix(skip);
    feed(sink, stream, chunks);
    return new Result(
        reader.model,
        reader.id,
        reader.inputTokens(),
        reader.outputTokens(),
        reader.cacheReadTokens(),
        reader.reasoningTokens(),
        List.copyOf(reader.finishReasons()),
        reader.systemFingerprint,
        reader.serviceTier,
        reader.providerError(),
        reader.outputMessages(),
        List.copyOf(text.pieces()),
        text.missedBytes(),
        text.messages());
  }

  /** Feeds the stream in chunks [offset, length], as TestSupport's chunkings give them. */
  private static void feed(ByteSink sink, byte[] stream, List<int[]> chunks) {
    for (int[] c : chunks) {
      sink.accept(stream, c[0], c[1]);
    }
    sink.end();
  }

  /** One chunk per event, as a server that flushes every event delivers them. */
  private static List<int[]> eventChunks(byte[] stream) {
    List<int[]> chunks = new ArrayList<>();
    int start = 0;
    for (int i = 0; i + 1 < stream.length; i++) {
      if (stream[i] == '\n' && stream[i + 1] == '\n') {
        chunks.add(new int[] {start, i + 2 - start});
        start = i + 2;
      }
    }
    if (start < stream.length) {
      chunks.add(new int[] {start, stream.length - start});
    }
    return chunks;
  }

  /** An OpenAI chat stream: a role chunk, content (or tool-call) chunks, finish, usage, [DONE]. */
  static byte[] openAiStream(int chunks, boolean usage, boolean toolCalls, boolean idChange) {
    StringBuilder sb = new StringBuilder();
    for (int i = -1; i <= chunks; i++) {
      String id = idChange && i > chunks / 2 ? "chatcmpl-SECOND" : "chatcmpl-AyPyvNTtD3Yq5yLNm";
      String head =
          "{\"id\":\""
              + id
              + "\",\"object\":\"chat.completion.chunk\",\"created\":1739019357,"
              + "\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\","
              + "\"system_fingerprint\":\"fp_72ed7ab54c\",\"choices\":[";
      String choice;
      if (i < 0) {
        choice =
            "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},"
                + "\"logprobs\":null,\"finish_reason\":null}";
      } else if (i == chunks) {
        choice =
            "{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\""
                + (toolCalls ? "tool_calls" : "stop")
                + "\"}";
      } else if (toolCalls) {
        choice =
            "{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"a"
                + i
                + "\\\":1\"}}]},\"logprobs\":null,\"finish_reason\":null}";
      } else {
        // every word twice: a model often sends the same token in consecutive events ("\n", " ")
        choice =
            "{\"index\":0,\"delta\":{\"content\":\"word"
                + i / 2
                + " \"},\"logprobs\":null,\"finish_reason\":null}";
      }
      sb.append("data: ").append(head).append(choice).append("],\"usage\":null}\n\n");
    }
    if (usage) {
      sb.append(
              "data: {\"id\":\"chatcmpl-AyPyvNTtD3Yq5yLNm\",\"object\":\"chat.completion.chunk\",")
          .append("\"created\":1739019357,\"model\":\"gpt-4o-mini-2024-07-18\",")
          .append("\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":")
          .append(chunks)
          .append(",\"total_tokens\":")
          .append(12 + chunks)
          .append(",\"prompt_tokens_details\":{\"cached_tokens\":0},")
          .append("\"completion_tokens_details\":{\"reasoning_tokens\":0}}}\n\n");
    }
    sb.append("data: [DONE]\n\n");
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The stream with an in-stream error event in its middle. */
  private static byte[] withErrorEvent(byte[] stream) {
    String s = new String(stream, StandardCharsets.UTF_8);
    int mid = s.indexOf("\n\n", s.length() / 2) + 2;
    String error =
        "data: {\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\","
            + "\"code\":\"overloaded\"}}\n\n";
    return (s.substring(0, mid) + error + s.substring(mid)).getBytes(StandardCharsets.UTF_8);
  }
}
