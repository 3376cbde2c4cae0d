package io.llmobserve.providers.provider;

import io.llmobserve.providers.GenAiAttributes;
import io.llmobserve.providers.HeaderReader;
import io.llmobserve.providers.LlmEndpoint;
import io.llmobserve.providers.detect.Paths;

/**
 * Azure OpenAI and Azure AI Foundry: OpenAI's bodies at /openai/deployments/{deployment}/... on
 * per-resource hosts; Azure's own response headers.
 */
public final class AzureOpenAi extends Provider {
  private static final String DEPLOYMENTS = "/openai/deployments/";
  private static final String[] REQUEST_ID_HEADERS = {"apim-request-id", "x-request-id"};

  public AzureOpenAi() {
    super(GenAiAttributes.PROVIDER_AZURE_OPENAI);
  }

  @Override
  public boolean ownsHost(String host) {
    return host.endsWith(".openai.azure.com")
        || host.endsWith(".cognitiveservices.azure.com")
        || host.endsWith(".services.ai.azure.com");
  }

  @Override
  public LlmEndpoint endpoint(String host, String path) {
    String op = Paths.operation(path);
    return op == null ? null : new LlmEndpoint(name(), op, deployment(path), false, null, false);
  }

  @Override
  public LlmEndpoint byPathShape(
      String host,
      int port,
      String path,
      String operation,
      HeaderReader requestHeaders,
      boolean privateHost) {
    return path.contains(DEPLOYMENTS)
        ? new LlmEndpoint(name(), operation, deployment(path), false, null, privateHost)
        : null;
  }

  /** /openai/deployments/{deployment}/... -> deployment, or null. */
  public static String deployment(String path) {
    int p = path.indexOf(DEPLOYMENTS);
    if (p < 0) {
      return null;
    }
    int start = p + DEPLOYMENTS.length();
    int end = path.indexOf('/', start);
    if (end <= start) {
      return null;
    }
    return Paths.decode(path.substring(start, end));
  }

  @Override
  public String hosting() {
    return GenAiAttributes.HOSTING_AZURE;
  }

  @Override
  public boolean isCloud() {
    return true;
  }

  @Override
  public boolean servedByItsCloud(HeaderReader h) {
    String region = h.get("x-ms-region");
    return (region != null && !region.trim().isEmpty())
        || h.get("apim-request-id") != null
        || h.get("azureml-model-session") != null
        || h.get("x-ms-client-request-id") != null
        || h.get("x-ms-deployment-name") != null
        || h.get("x-ms-rai-invoked") != null;
  }

  @Override
  public String[] requestIdHeaders() {
    return REQUEST_ID_HEADERS;
  }
}
