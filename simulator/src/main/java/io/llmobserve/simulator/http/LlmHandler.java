package io.llmobserve.simulator.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmobserve.simulator.Exchange;
import io.llmobserve.simulator.Profile;
import io.llmobserve.simulator.engine.CallPlan;
import io.llmobserve.simulator.engine.RequestFacts;
import io.llmobserve.simulator.engine.Route;
import io.llmobserve.simulator.engine.SimulatorState;
import io.llmobserve.simulator.engine.TrueUsage;
import io.llmobserve.simulator.protocol.ErrorReplies;
import io.llmobserve.simulator.protocol.Json;
import io.llmobserve.simulator.protocol.Protocols;
import io.llmobserve.simulator.protocol.Reply;
import io.llmobserve.simulator.protocol.RequestParser;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Serves the provider routes: reads the body, plans the call, then writes the planned segments on a
 * scheduler (no thread sleeps), flushing each one, and records the exchange before the last write.
 */
public final class LlmHandler extends Handler.Abstract.NonBlocking {
  private static final int MAX_BODY = 32 * 1024 * 1024;

  private final SimulatorState state;
  private final ScheduledExecutorService scheduler;
  private final AdminApi admin;

  public LlmHandler(SimulatorState state, ScheduledExecutorService scheduler) {
    this.state = state;
    this.scheduler = scheduler;
    this.admin = new AdminApi(state);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = request.getHttpURI().getDecodedPath(); // Bedrock model ids arrive with %3A
    if (path != null && path.startsWith("/_sim")) {
      // Admin calls are tiny; run them off the selector thread since they read bodies blocking.
      getServer().getThreadPool().execute(() -> admin.handle(request, response, callback));
      return true;
    }
    Route.Match match = Route.match(path);
    if (match == null || !"POST".equals(request.getMethod())) {
      int status = match == null ? 404 : 405;
      response.setStatus(status);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
      response.write(
          true, ByteBuffer.wrap(ErrorReplies.notFound(request.getMethod(), path)), callback);
      return true;
    }
    long startedAt = System.currentTimeMillis();
    Content.Source.asByteArrayAsync(request, MAX_BODY)
        .whenComplete(
            (body, failure) -> {
              if (failure != null) {
                callback.failed(failure);
                return;
              }
              // Rendering (JSON, digests, gzip) is CPU work: keep it off the selector thread that
              // may complete this.
              getServer()
                  .getThreadPool()
                  .execute(
                      () -> {
                        try {
                          serve(request, response, callback, match, path, body, startedAt);
                        } catch (Throwable t) {
                          callback.failed(t);
                        }
                      });
            });
    return true;
  }

  private void serve(
      Request request,
      Response response,
      Callback callback,
      Route.Match match,
      String path,
      byte[] body,
      long startedAt) {
    Profile profile = state.profile.get();
    long sequence = state.sequence.getAndIncrement();
    JsonNode json = null;
    RequestFacts facts;
    RequestParser.BadRequest bad = null;
    try {
      json = Json.MAPPER.readTree(body);
      facts = RequestParser.parse(match, json, request.getHttpURI().getQuery());
    } catch (RequestParser.BadRequest e) {
      bad = e;
      facts = fallbackFacts(json, match);
    } catch (Exception e) {
      bad =
          new RequestParser.BadRequest(
              "We could not parse the JSON body of your request. (HINT: This likely "
                  + "means you aren't using your HTTP library correctly.)",
              null);
      facts = fallbackFacts(null, match);
    }
    CallPlan plan =
        state.planner.plan(
            sequence, state.seed, match, path, facts, profile, state.incidents.active(), startedAt);
    if (profile.tokenizerUsage() && bad == null) {
      plan = TrueUsage.apply(plan, json);
    }
    Reply reply =
        bad != null
            ? ErrorReplies.badRequest(plan, bad.getMessage(), bad.param)
            : Protocols.render(plan);

    int cutAt = plan.aborts() ? prepareAbort(reply, plan.abortAfterWrites()) : -1;

    String acceptEncoding = request.getHeaders().get(HttpHeader.ACCEPT_ENCODING);
    boolean gzip =
        profile.gzip()
            && (!reply.stream || profile.gzipStreams())
            && acceptEncoding != null
            && acceptEncoding.toLowerCase(Locale.ROOT).contains("gzip");
    WirePlan wire = new WirePlan(reply, gzip);

    Map<String, String> sent = new LinkedHashMap<>();
    sent.put("content-type", reply.contentType);
    reply.headers.forEach((k, v) -> sent.put(k.toLowerCase(Locale.ROOT), v));
    if (gzip) {
      sent.put("content-encoding", "gzip");
      sent.put("vary", "Accept-Encoding");
    }
    if (reply.stream) {
      sent.put("cache-control", "no-cache");
    }
    response.setStatus(reply.status);
    var headers = response.getHeaders();
    sent.forEach(headers::put);
    if (!reply.stream) {
      headers.put(HttpHeader.CONTENT_LENGTH, wire.wireBytes);
    }
    Exchange exchange =
        exchange(request, match, path, body, plan, reply, wire, sent, startedAt, sequence);
    AtomicBoolean recorded = new AtomicBoolean();
    Callback recording =
        Callback.from(
            callback::succeeded,
            failure -> {
              if (recorded.compareAndSet(false, true)) {
                state.record(exchange.asAborted()); // client gone mid-body: still ground truth
              }
              callback.failed(failure);
            });
    writeSegment(response, recording, reply, wire, 0, exchange, recorded, cutAt);
  }

  /**
   * Arranges a simulated mid-body failure: returns the write index at which the connection is cut
   * (streams: after {@code afterWrites}, default half; JSON: after half of its bytes).
   */
  private static int prepareAbort(Reply reply, int afterWrites) {
    if (reply.segments.size() <= 1) {
      Reply.Segment only = reply.segments.get(0);
      byte[] b = only.bytes();
      int half = Math.max(1, b.length / 2);
      reply.segments.set(0, new Reply.Segment(only.delayMs(), Arrays.copyOfRange(b, 0, half)));
      reply.segments.add(new Reply.Segment(0, Arrays.copyOfRange(b, half, b.length)));
      return 1;
    }
    int n = reply.segments.size();
    int k = afterWrites <= 0 ? n / 2 : afterWrites;
    return Math.max(1, Math.min(k, n - 1));
  }

  private static RequestFacts fallbackFacts(JsonNode json, Route.Match match) {
    String model =
        match.pathModel() != null
            ? match.pathModel()
            : (json == null ? null : Json.text(json, "model"));
    return new RequestFacts(model, false, false, null, 0, 1, null, false, false);
  }

  private void writeSegment(
      Response response,
      Callback callback,
      Reply reply,
      WirePlan wire,
      int index,
      Exchange exchange,
      AtomicBoolean recorded,
      int cutAt) {
    int count = wire.wireSegments.size();
    Runnable write =
        () -> {
          try {
            if (index == cutAt) {
              callback.failed(new EofException("simulated mid-body abort (stream_abort incident)"));
              return;
            }
            boolean last = index >= count - 1;
            ByteBuffer bytes =
                count == 0 ? ByteBuffer.allocate(0) : ByteBuffer.wrap(wire.wireSegments.get(index));
            if (last) {
              if (recorded.compareAndSet(false, true)) {
                state.record(exchange); // visible before the client can have read the last byte
              }
              response.write(true, bytes, callback);
            } else {
              response.write(
                  false,
                  bytes,
                  Callback.from(
                      () ->
                          writeSegment(
                              response, callback, reply, wire, index + 1, exchange, recorded,
                              cutAt),
                      callback::failed));
            }
          } catch (Throwable t) {
            callback.failed(t);
          }
        };
    long delay = count == 0 ? 0 : reply.segments.get(index).delayMs();
    if (delay <= 0) {
      scheduler.execute(write);
    } else {
      scheduler.schedule(write, delay, TimeUnit.MILLISECONDS);
    }
  }

  private static Exchange exchange(
      Request request,
      Route.Match match,
      String path,
      byte[] body,
      CallPlan plan,
      Reply reply,
      WirePlan wire,
      Map<String, String> sent,
      long startedAt,
      long sequence) {
    Map<String, String> requestHeaders = new LinkedHashMap<>();
    for (HttpField f : request.getHeaders()) {
      requestHeaders.merge(
          f.getName().toLowerCase(Locale.ROOT), f.getValue(), (a, b) -> a + ", " + b);
    }
    if (!requestHeaders.containsKey("host")) { // HTTP/2 names the host in :authority instead
      String authority = request.getHttpURI().getAuthority();
      if (authority != null && !authority.isEmpty()) {
        requestHeaders.put(":authority", authority);
      }
    }
    boolean ok = reply.status == 200;
    long ttft = reply.segments.isEmpty() ? 0 : reply.segments.get(0).delayMs();
    return new Exchange(
        sequence,
        startedAt,
        match.route().provider(),
        match.route().operation(),
        match.route().template(),
        path,
        request.getConnectionMetaData().getHttpVersion().asString(),
        plan.deployment(),
        plan.requestModel(),
        ok ? plan.responseModel() : null,
        reply.stream,
        reply.status,
        reply.requestId,
        reply.responseId,
        ok ? plan.promptTokens() : 0,
        ok ? plan.outputTokens() : 0,
        ok ? plan.cacheReadTokens() : 0,
        ok ? plan.cacheCreationTokens() : 0,
        ok ? plan.reasoningTokens() : 0,
        reply.finishReason,
        sent.get("x-ms-region"),
        popOf(sent.get("cf-ray")),
        ok ? plan.persona().systemFingerprint() : null,
        plan.processingMs(),
        ttft,
        reply.totalDelayMs(),
        wire.wireSegments.size(),
        wire.gzip,
        Collections.unmodifiableMap(sent),
        Collections.unmodifiableMap(requestHeaders),
        WirePlan.sha256Hex(body),
        wire.decodedSha256,
        wire.wireSha256,
        wire.decodedBytes,
        wire.wireBytes,
        plan.incidentIds(),
        reply.errorType,
        false);
  }

  private static String popOf(String cfRay) {
    if (cfRay == null) {
      return null;
    }
    int dash = cfRay.lastIndexOf('-');
    return dash < 0 ? null : cfRay.substring(dash + 1);
  }
}
