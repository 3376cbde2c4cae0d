package io.llmobserve.simulator;

import java.util.List;
import java.util.Map;

/**
 * Ground truth of one served exchange, recorded just before its last byte is written (so it is
 * visible by the time a client has read the whole response).
 *
 * @param sequence 0-based order in which requests were accepted
 * @param startedAtEpochMs when the request body had been read
 * @param provider "openai", "azure", "anthropic", "gemini", "bedrock" or "ollama"
 * @param operation "chat", "responses", "embeddings", "messages", "generate_content",
 *     "text_completion"
 * @param route route template, e.g. "/openai/deployments/{deployment}/chat/completions"
 * @param path path as requested (query string excluded)
 * @param httpVersion "HTTP/1.1" or "HTTP/2.0"
 * @param deployment Azure deployment, else null
 * @param requestModel model in the request body (Azure: the deployment's model when the body has
 *     none)
 * @param responseModel model in the response body (null on errors)
 * @param stream whether the response was streamed (SSE)
 * @param status HTTP status sent
 * @param requestId the provider request id header value sent (x-request-id, apim-request-id,
 *     request-id)
 * @param responseId id in the response body (chatcmpl-..., msg_..., resp_...), null on errors
 * @param inputTokens ALL input tokens, cached included (Anthropic: input + cache read + cache
 *     creation)
 * @param outputTokens output tokens (reasoning included)
 * @param cacheReadTokens cached input tokens reported
 * @param cacheCreationTokens cache-write input tokens reported (Anthropic)
 * @param reasoningTokens reasoning tokens reported
 * @param finishReason raw finish/stop reason ("stop", "end_turn", ...), null on errors
 * @param region x-ms-region sent, else null
 * @param pop cf-ray POP suffix sent, else null
 * @param systemFingerprint system_fingerprint sent, else null
 * @param serverProcessingMs the value of the server-timing header sent (openai-processing-ms, ...)
 * @param plannedTtftMs planned delay before the first body byte (streams and JSON)
 * @param plannedDurationMs planned total delay of the whole response
 * @param bodyWrites separate writes (flushes) of the body
 * @param gzip body sent with Content-Encoding: gzip
 * @param responseHeaders headers the simulator set (lower-case names; Date and Content-Length
 *     excluded)
 * @param requestHeaders headers received (lower-case names, repeated values joined with ", "); over
 *     HTTP/2 the host the client named is under {@code :authority}, its pseudo-header
 * @param requestBodySha256 SHA-256 hex of the request body bytes received
 * @param responseBodySha256 SHA-256 hex of the decoded response body (before gzip)
 * @param wireBodySha256 SHA-256 hex of the body bytes on the wire (after gzip; equal when not
 *     gzipped)
 * @param responseBodyBytes decoded body length
 * @param wireBodyBytes wire body length
 * @param incidentIds incidents that applied to this exchange
 * @param errorType provider error type on failures (e.g. "rate_limit_exceeded", "rate_limit_error")
 * @param aborted the client went away (or the write failed) before the last byte; such an exchange
 *     is recorded when the failure is seen, with the planned values
 */
public record Exchange(
    long sequence,
    long startedAtEpochMs,
    String provider,
    String operation,
    String route,
    String path,
    String httpVersion,
    String deployment,
    String requestModel,
    String responseModel,
    boolean stream,
    int status,
    String requestId,
    String responseId,
    long inputTokens,
    long outputTokens,
    long cacheReadTokens,
    long cacheCreationTokens,
    long reasoningTokens,
    String finishReason,
    String region,
    String pop,
    String systemFingerprint,
    long serverProcessingMs,
    long plannedTtftMs,
    long plannedDurationMs,
    int bodyWrites,
    boolean gzip,
    Map<String, String> responseHeaders,
    Map<String, String> requestHeaders,
    String requestBodySha256,
    String responseBodySha256,
    String wireBodySha256,
    long responseBodyBytes,
    long wireBodyBytes,
    List<String> incidentIds,
    String errorType,
    boolean aborted) {

  /** The same exchange marked aborted (used by the HTTP layer when a write fails). */
  public Exchange asAborted() {
    return new Exchange(
        sequence,
        startedAtEpochMs,
        provider,
        operation,
        route,
        path,
        httpVersion,
        deployment,
        requestModel,
        responseModel,
        stream,
        status,
        requestId,
        responseId,
        inputTokens,
        outputTokens,
        cacheReadTokens,
        cacheCreationTokens,
        reasoningTokens,
        finishReason,
        region,
        pop,
        systemFingerprint,
        serverProcessingMs,
        plannedTtftMs,
        plannedDurationMs,
        bodyWrites,
        gzip,
        responseHeaders,
        requestHeaders,
        requestBodySha256,
        responseBodySha256,
        wireBodySha256,
        responseBodyBytes,
        wireBodyBytes,
        incidentIds,
        errorType,
        true);
  }
}
