package io.llmobserve.simulator.protocol;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmobserve.simulator.engine.CallPlan;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.Random;

/**
 * POST /v1/embeddings and the Azure embeddings route: unit vectors, as floats or base64 float32.
 */
final class OpenAiEmbeddings {
  private OpenAiEmbeddings() {}

  static Reply render(CallPlan plan) {
    Reply reply = new Reply(200, "application/json", false);
    if (plan.route().provider().equals("azure")) {
      ProviderHeaders.azure(reply, plan);
    } else {
      ProviderHeaders.openAi(reply, plan);
    }
    int dims = dimensions(plan);
    Random r = plan.random();
    ObjectNode root = Json.object();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    for (int i = 0; i < plan.facts().inputs(); i++) {
      ObjectNode e = data.addObject();
      e.put("object", "embedding");
      e.put("index", i);
      float[] v = unitVector(r, dims);
      if (plan.facts().base64()) {
        ByteBuffer buf = ByteBuffer.allocate(dims * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
          buf.putFloat(f);
        }
        e.put("embedding", Base64.getEncoder().encodeToString(buf.array()));
      } else {
        ArrayNode a = e.putArray("embedding");
        for (float f : v) {
          a.add(f);
        }
      }
    }
    root.put("model", plan.responseModel());
    ObjectNode u = root.putObject("usage");
    u.put("prompt_tokens", plan.promptTokens());
    u.put("total_tokens", plan.promptTokens());
    long delay = plan.latencyMs() + plan.persona().extraNetworkMillis();
    reply.segments.add(new Reply.Segment(delay, Json.bytes(root)));
    return reply;
  }

  static int dimensions(CallPlan plan) {
    Integer d = plan.facts().dimensions();
    if (d != null && d > 0) {
      return Math.min(d, 8192);
    }
    String m = String.valueOf(plan.requestModel());
    return m.contains("large") ? 3072 : 1536;
  }

  private static float[] unitVector(Random r, int dims) {
    float[] v = new float[dims];
    double norm = 0;
    for (int i = 0; i < dims; i++) {
      v[i] = (float) r.nextGaussian();
      norm += v[i] * v[i];
    }
    float inv = (float) (1 / Math.sqrt(norm));
    for (int i = 0; i < dims; i++) {
      v[i] *= inv;
    }
    return v;
  }
}
