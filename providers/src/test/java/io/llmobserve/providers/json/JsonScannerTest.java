package io.llmobserve.providers.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Cross-checks the scanner against Jackson on random documents: every scalar must be seen at the
 * same key path with the same decoded text, whatever the chunk split.
 */
class JsonScannerTest {

  /** Records "path=value" for every scalar, capturing everything. */
  static final class Recorder implements JsonHandler {
    final List<String> events = new ArrayList<>();

    @Override
    public int valueStart(JsonScanner s, int kind) {
      return JsonScanner.MAX_CAPTURE;
    }

    @Override
    public void scalar(JsonScanner s, int kind, byte[] buf, int len, boolean truncated) {
      String v;
      switch (kind) {
        case JsonScanner.TRUE:
          v = "true";
          break;
        case JsonScanner.FALSE:
          v = "false";
          break;
        case JsonScanner.NULL:
          v = "null";
          break;
        case JsonScanner.NUMBER:
          v = "#" + new String(buf, 0, len, StandardCharsets.US_ASCII);
          break;
        default:
          v = "\"" + new String(buf, 0, len, StandardCharsets.UTF_8);
      }
      events.add(path(s) + "=" + v);
    }

    @Override
    public void containerStart(JsonScanner s, boolean object) {
      events.add(path(s) + (object ? "{" : "["));
    }

    @Override
    public void containerEnd(JsonScanner s, boolean object) {
      events.add(path(s) + (object ? "}" : "]"));
    }

    static String path(JsonScanner s) {
      StringBuilder sb = new StringBuilder();
      for (int l = 1; l <= s.depth(); l++) {
        sb.append('/').append(Keys.name(s.keyAt(l)));
      }
      return sb.toString();
    }
  }

  /** The same events computed with Jackson (known keys only, as the scanner resolves them). */
  static List<String> jackson(byte[] json) throws Exception {
    List<String> out = new ArrayList<>();
    List<String> path = new ArrayList<>();
    try (JsonParser p = new JsonFactory().createParser(json)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        switch (t) {
          case FIELD_NAME:
            byte[] k = p.getCurrentName().getBytes(StandardCharsets.UTF_8);
            path.set(path.size() - 1, Keys.name(Keys.lookup(k, k.length)));
            break;
          case START_OBJECT:
          case START_ARRAY:
            path.add(t == JsonToken.START_OBJECT ? "?" : "[]");
            out.add(String.join("", prefixed(path)) + (t == JsonToken.START_OBJECT ? "{" : "["));
            break;
          case END_OBJECT:
          case END_ARRAY:
            out.add(String.join("", prefixed(path)) + (t == JsonToken.END_OBJECT ? "}" : "]"));
            path.remove(path.size() - 1);
            break;
          case VALUE_STRING:
            out.add(String.join("", prefixed(path)) + "=\"" + p.getText());
            break;
          case VALUE_NUMBER_INT:
          case VALUE_NUMBER_FLOAT:
            out.add(String.join("", prefixed(path)) + "=#" + p.getText());
            break;
          case VALUE_TRUE:
            out.add(String.join("", prefixed(path)) + "=true");
            break;
          case VALUE_FALSE:
            out.add(String.join("", prefixed(path)) + "=false");
            break;
          case VALUE_NULL:
            out.add(String.join("", prefixed(path)) + "=null");
            break;
          default:
        }
      }
    }
    return out;
  }

  private static List<String> prefixed(List<String> path) {
    List<String> l = new ArrayList<>();
    for (String s : path) {
      l.add("/" + s);
    }
    return l;
  }

  static final String[] KEYS = {
    "model", "usage", "prompt_tokens", "choices", "delta", "content", "x", "stränge", "id"
  };
  static final String[] STRINGS = {
    "",
    "plain",
    "quote\"in",
    "back\\slash",
    "tab\tnl\n",
    "é ü 中文",
    "emoji 😀",
    "\u0001ctl",
    "/slash"
  };

  static Object randomValue(Random r, int depth) {
    int k = depth > 5 ? r.nextInt(4) : r.nextInt(6);
    switch (k) {
      case 0:
        return STRINGS[r.nextInt(STRINGS.length)];
      case 1:
        return r.nextBoolean()
            ? (Object) (long) (r.nextInt(2000000) - 1000000)
            : (Object) (r.nextDouble() * 1000);
      case 2:
        return r.nextBoolean();
      case 3:
        return null;
      case 4:
        {
          Map<String, Object> m = new LinkedHashMap<>();
          int n = r.nextInt(4);
          for (int i = 0; i < n; i++) {
            m.put(
                KEYS[r.nextInt(KEYS.length)] + (r.nextInt(4) == 0 ? i : ""),
                randomValue(r, depth + 1));
          }
          return m;
        }
      default:
        {
          List<Object> l = new ArrayList<>();
          int n = r.nextInt(4);
          for (int i = 0; i < n; i++) {
            l.add(randomValue(r, depth + 1));
          }
          return l;
        }
    }
  }

  @Test
  void matchesJacksonOnRandomDocumentsInRandomSplits() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    Random r = new Random(42);
    for (int doc = 0; doc < 400; doc++) {
      Map<String, Object> root = new LinkedHashMap<>();
      root.put("model", "m" + doc);
      root.put("body", randomValue(r, 1));
      String text = mapper.writeValueAsString(root);
      if (doc % 3 == 0) {
        // \\u escapes for non-ASCII and a pretty printed variant
        text = mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        text = text.replace("é", "\\u00e9").replace("😀", "\\ud83d\\ude00");
      }
      byte[] json = text.getBytes(StandardCharsets.UTF_8);
      List<String> expected = jackson(json);
      for (int trial = 0; trial < 4; trial++) {
        Recorder rec = new Recorder();
        JsonScanner s = new JsonScanner(rec);
        int p = 0;
        while (p < json.length) {
          int n = Math.min(json.length - p, 1 + r.nextInt(trial == 0 ? 1 : 17));
          s.accept(json, p, n);
          p += n;
        }
        assertThat(s.isError()).as(text).isFalse();
        assertThat(rec.events).as(text).isEqualTo(expected);
      }
    }
  }

  @Test
  void keysResolveAndUnknownKeysDoNot() {
    byte[] k = "prompt_tokens".getBytes(StandardCharsets.US_ASCII);
    assertThat(Keys.lookup(k, k.length)).isEqualTo(Keys.PROMPT_TOKENS);
    for (int i = 0; i < Keys.NAMES.length; i++) {
      byte[] b = Keys.NAMES[i].getBytes(StandardCharsets.US_ASCII);
      assertThat(Keys.lookup(b, b.length)).isEqualTo(i);
    }
    byte[] u = "prompt_tokenz".getBytes(StandardCharsets.US_ASCII);
    assertThat(Keys.lookup(u, u.length)).isEqualTo(Keys.UNKNOWN);
  }

  @Test
  void skipsUnwantedValuesWithoutCapturingAndTruncatesAtTheCap() {
    List<String> got = new ArrayList<>();
    JsonHandler h =
        new JsonHandler() {
          @Override
          public int valueStart(JsonScanner s, int kind) {
            return s.keyAt(1) == Keys.MODEL ? 4 : 0;
          }

          @Override
          public void scalar(JsonScanner s, int kind, byte[] buf, int len, boolean truncated) {
            got.add(new String(buf, 0, len, StandardCharsets.UTF_8) + (truncated ? "…" : ""));
          }

          @Override
          public void containerStart(JsonScanner s, boolean object) {}

          @Override
          public void containerEnd(JsonScanner s, boolean object) {}
        };
    JsonScanner s = new JsonScanner(h);
    byte[] json =
        "{\"text\":\"aaaaaaaaaaaaaaaa\",\"model\":\"gpt-4o\"} {\"model\":\"abc\"}"
            .getBytes(StandardCharsets.UTF_8);
    s.accept(json, 0, json.length);
    assertThat(got).containsExactly("gpt-…", "abc");
  }

  @Test
  void invalidInputStopsUntilResetAndNdjsonRecoversAtTheNextLine() {
    Recorder rec = new Recorder();
    JsonScanner s = new JsonScanner(rec);
    byte[] bad = "{\"model\" 1}".getBytes(StandardCharsets.UTF_8);
    s.accept(bad, 0, bad.length);
    assertThat(s.isError()).isTrue();
    s.reset();
    byte[] good = "{\"model\":\"x\"}".getBytes(StandardCharsets.UTF_8);
    s.accept(good, 0, good.length);
    assertThat(rec.events).contains("/model=\"x");

    Recorder rec2 = new Recorder();
    JsonScanner nd = new JsonScanner(rec2);
    nd.setNdjson(true);
    byte[] lines = "{\"id\":tru!e}\n{\"model\":\"y\"}\n".getBytes(StandardCharsets.UTF_8);
    nd.accept(lines, 0, lines.length);
    assertThat(rec2.events).contains("/model=\"y");
  }
}
