package io.llmobserve.simulator.engine;

/**
 * What the simulator needs from a request body.
 *
 * @param model model named in the body, null if none
 * @param stream SSE requested
 * @param includeUsage OpenAI stream_options.include_usage
 * @param maxTokens max_tokens / max_completion_tokens / max_output_tokens, null if absent
 * @param promptBytes UTF-8 bytes of all prompt text (messages, system, instructions, input)
 * @param inputs number of inputs (embeddings), else 1
 * @param dimensions embedding dimensions requested, null if absent
 * @param base64 embeddings encoding_format = base64
 * @param sse Gemini stream as SSE (?alt=sse) rather than a streamed JSON array
 */
public record RequestFacts(
    String model,
    boolean stream,
    boolean includeUsage,
    Integer maxTokens,
    long promptBytes,
    int inputs,
    Integer dimensions,
    boolean base64,
    boolean sse) {}
