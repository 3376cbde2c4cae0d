package io.llmobserve.providers.provider;

import io.llmobserve.providers.GenAiAttributes;
import io.llmobserve.providers.LlmEndpoint;
import io.llmobserve.providers.body.Fields;

/**
 * Vertex AI ({region}-aiplatform.googleapis.com): Gemini's paths and bodies, the region in the
 * host.
 */
public final class VertexAi extends Gemini {
  public VertexAi() {
    super(GenAiAttributes.PROVIDER_VERTEX_AI);
  }

  @Override
  public String[] hosts() {
    return NO_HEADERS;
  }

  @Override
  public boolean ownsHost(String host) {
    return host.endsWith("aiplatform.googleapis.com");
  }

  @Override
  public LlmEndpoint endpoint(String host, String path) {
    int dash = host.indexOf("-aiplatform.");
    return inRegion(path, dash > 0 ? host.substring(0, dash) : null);
  }

  @Override
  public boolean isCloud() {
    return false; // Google's headers are read once, by Gemini
  }

  @Override
  public void requestFields(Fields.Builder fields) {
    // Gemini's, declared once by Gemini itself
  }

  @Override
  public void responseFields(Fields.Builder fields) {
    // Gemini's, declared once by Gemini itself
  }
}
