package io.llmobserve.agent.extension;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributeType;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.DelegatingSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * Masks the values of credential headers captured on ANY exported span, whatever the capture
 * settings: a user who sets {@code otel.instrumentation.http.client.capture-request-headers=
 * authorization,api-key,cookie} (or the server or response equivalents, set-cookie) gets {@code
 * http.request.header.authorization=["REDACTED"]}: the header was there, its value is not exported.
 * Spans without captured credential headers pass through untouched (one pass over their attribute
 * keys, no copy).
 */
public final class CredentialHeaderMaskingExporter implements SpanExporter {
  static final String MASK = "REDACTED";
  private static final String REQUEST_HEADER = "http.request.header.";
  private static final String RESPONSE_HEADER = "http.response.header.";

  private final SpanExporter delegate;

  public CredentialHeaderMaskingExporter(SpanExporter delegate) {
    this.delegate = delegate;
  }

  /**
   * Header names (lower case, as upstream writes them into attribute keys) whose values are
   * secrets.
   */
  static boolean isCredentialHeader(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    switch (n) {
      case "authorization":
      case "proxy-authorization":
      case "cookie":
      case "set-cookie":
      case "set-cookie2":
      case "api-key":
      case "x-api-key":
      case "x-goog-api-key":
      case "ocp-apim-subscription-key":
      case "x-amz-security-token":
      case "x-auth-token":
      case "x-access-token":
      case "x-csrf-token":
      case "x-xsrf-token":
        return true;
      default:
        return n.contains("authorization")
            || n.contains("cookie")
            || n.contains("api-key")
            || n.contains("api_key")
            || n.contains("apikey")
            || n.contains("secret")
            || n.contains("password")
            || n.contains("session")
            || ((n.endsWith("-token") || n.endsWith("_token")) && !n.contains("ratelimit"));
    }
  }

  static boolean isCredentialHeaderKey(String key) {
    if (key.startsWith(REQUEST_HEADER)) {
      return isCredentialHeader(key.substring(REQUEST_HEADER.length()));
    }
    if (key.startsWith(RESPONSE_HEADER)) {
      return isCredentialHeader(key.substring(RESPONSE_HEADER.length()));
    }
    return false;
  }

  /** Finds whether a span carries a credential header (reused across the spans of one export). */
  private static final class Finder implements BiConsumer<AttributeKey<?>, Object> {
    boolean found;

    @Override
    public void accept(AttributeKey<?> key, Object value) {
      if (!found && key.getKey().startsWith("http.") && isCredentialHeaderKey(key.getKey())) {
        found = true;
      }
    }
  }

  static Attributes masked(Attributes attributes) {
    AttributesBuilder b = Attributes.builder();
    attributes.forEach((key, value) -> put(b, key, value));
    return b.build();
  }

  @SuppressWarnings("unchecked")
  private static void put(AttributesBuilder b, AttributeKey<?> key, Object value) {
    if (!isCredentialHeaderKey(key.getKey())) {
      b.put((AttributeKey<Object>) key, value);
    } else if (key.getType() == AttributeType.STRING_ARRAY && value instanceof List) {
      List<String> masks = new ArrayList<>();
      for (int i = 0, n = ((List<?>) value).size(); i < n; i++) {
        masks.add(MASK);
      }
      b.put(AttributeKey.stringArrayKey(key.getKey()), masks);
    } else {
      b.put(AttributeKey.stringKey(key.getKey()), MASK);
    }
  }

  Collection<SpanData> mask(Collection<SpanData> spans) {
    Finder finder = new Finder();
    List<SpanData> out = null;
    int i = 0;
    for (SpanData span : spans) {
      finder.found = false;
      span.getAttributes().forEach(finder);
      if (finder.found) {
        if (out == null) {
          out = new ArrayList<>(spans.size());
          int j = 0;
          for (SpanData earlier : spans) {
            if (j++ == i) {
              break;
            }
            out.add(earlier);
          }
        }
        out.add(new MaskedSpanData(span, masked(span.getAttributes())));
      } else if (out != null) {
        out.add(span);
      }
      i++;
    }
    return out == null ? spans : out;
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    Collection<SpanData> toExport;
    try {
      toExport = mask(spans);
    } catch (RuntimeException e) {
      // fail closed: a batch that cannot be checked is not exported with possible secrets
      return CompletableResultCode.ofFailure();
    }
    return delegate.export(toExport);
  }

  @Override
  public CompletableResultCode flush() {
    return delegate.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return delegate.shutdown();
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public String toString() {
    return "CredentialHeaderMaskingExporter{" + delegate + "}";
  }

  static final class MaskedSpanData extends DelegatingSpanData {
    private final Attributes attributes;

    MaskedSpanData(SpanData delegate, Attributes attributes) {
      super(delegate);
      this.attributes = attributes;
    }

    @Override
    public Attributes getAttributes() {
      return attributes;
    }
  }
}
