package io.llmobserve.providers;

/**
 * Span attribute names of the contract in DESIGN.md (OpenTelemetry GenAI semconv v1.41 + llm.*).
 */
public final class GenAiAttributes {
  private GenAiAttributes() {}

  public static final String PROVIDER_NAME = "gen_ai.provider.name";
  public static final String OPERATION_NAME = "gen_ai.operation.name";
  public static final String REQUEST_MODEL = "gen_ai.request.model";
  public static final String RESPONSE_MODEL = "gen_ai.response.model";
  public static final String REQUEST_STREAM = "gen_ai.request.stream";
  public static final String REQUEST_MAX_TOKENS = "gen_ai.request.max_tokens";
  public static final String REQUEST_TEMPERATURE = "gen_ai.request.temperature";
  public static final String RESPONSE_ID = "gen_ai.response.id";
  public static final String RESPONSE_FINISH_REASONS = "gen_ai.response.finish_reasons";
  public static final String USAGE_INPUT_TOKENS = "gen_ai.usage.input_tokens";
  public static final String USAGE_OUTPUT_TOKENS = "gen_ai.usage.output_tokens";
  public static final String USAGE_CACHE_READ_INPUT_TOKENS = "gen_ai.usage.cache_read.input_tokens";
  public static final String USAGE_CACHE_CREATION_INPUT_TOKENS =
      "gen_ai.usage.cache_creation.input_tokens";
  public static final String USAGE_REASONING_OUTPUT_TOKENS = "gen_ai.usage.reasoning.output_tokens";
  public static final String RESPONSE_TIME_TO_FIRST_CHUNK = "gen_ai.response.time_to_first_chunk";

  /** Opt-in content capture (JSON text, bounded and redacted). */
  public static final String INPUT_MESSAGES = "gen_ai.input.messages";

  public static final String OUTPUT_MESSAGES = "gen_ai.output.messages";

  public static final String HTTP_RESPONSE_STATUS_CODE = "http.response.status_code";
  public static final String ERROR_TYPE = "error.type";

  public static final String OPENAI_RESPONSE_SYSTEM_FINGERPRINT =
      "openai.response.system_fingerprint";
  public static final String OPENAI_RESPONSE_SERVICE_TIER = "openai.response.service_tier";

  public static final String LLM_HOSTING_PROVIDER = "llm.hosting.provider";
  public static final String LLM_HOSTING_REGION = "llm.hosting.region";
  public static final String LLM_EDGE_POP = "llm.edge.pop";
  public static final String LLM_REQUEST_ID = "llm.request.id";
  public static final String LLM_SERVER_PROCESSING_TIME = "llm.server.processing_time";
  public static final String LLM_RATELIMIT_REMAINING_REQUESTS = "llm.ratelimit.remaining_requests";
  public static final String LLM_RATELIMIT_REMAINING_TOKENS = "llm.ratelimit.remaining_tokens";
  public static final String LLM_RATELIMIT_LIMIT_REQUESTS = "llm.ratelimit.limit_requests";
  public static final String LLM_RATELIMIT_LIMIT_TOKENS = "llm.ratelimit.limit_tokens";

  /**
   * Provider's own error type/code from an error body or in-stream error event (e.g.
   * rate_limit_error, insufficient_quota, overloaded_error). Extension to DESIGN.md.
   */
  public static final String LLM_ERROR_TYPE = "llm.error.type";

  /**
   * Why the agent stopped reading (part of) a response body to bound its work; absent when it read
   * all.
   */
  public static final String LLM_BODY_SCAN_STOPPED = "llm.body.scan_stopped";

  /**
   * Which gen_ai.usage counts the agent counted itself because the response reported none: string[]
   * of input, output.
   */
  public static final String LLM_USAGE_ESTIMATED = "llm.usage.estimated";

  /**
   * How they were counted: tokenizer:o200k_base, calibrated:o200k_base*1.20, ... (+extrapolated
   * past the cap).
   */
  public static final String LLM_USAGE_ESTIMATE_METHOD = "llm.usage.estimate_method";

  // Values of llm.hosting.provider
  public static final String HOSTING_AZURE = "azure";
  public static final String HOSTING_AWS = "aws";
  public static final String HOSTING_GCP = "gcp";
  public static final String HOSTING_CLOUDFLARE = "cloudflare";
  public static final String HOSTING_SELF_HOSTED = "self-hosted";
  public static final String HOSTING_UNKNOWN = "unknown";

  // Values of gen_ai.operation.name
  public static final String OP_CHAT = "chat";
  public static final String OP_TEXT_COMPLETION = "text_completion";
  public static final String OP_EMBEDDINGS = "embeddings";
  public static final String OP_GENERATE_CONTENT = "generate_content";

  // Values of gen_ai.provider.name
  public static final String PROVIDER_OPENAI = "openai";
  public static final String PROVIDER_AZURE_OPENAI = "azure.ai.openai";
  public static final String PROVIDER_ANTHROPIC = "anthropic";
  public static final String PROVIDER_AWS_BEDROCK = "aws.bedrock";
  public static final String PROVIDER_GEMINI = "gcp.gemini";
  public static final String PROVIDER_VERTEX_AI = "gcp.vertex_ai";
  public static final String PROVIDER_MISTRAL = "mistral_ai";
  public static final String PROVIDER_COHERE = "cohere";
  public static final String PROVIDER_DEEPSEEK = "deepseek";
  public static final String PROVIDER_GROQ = "groq";
  public static final String PROVIDER_X_AI = "x_ai";
  public static final String PROVIDER_OLLAMA = "ollama";
}
