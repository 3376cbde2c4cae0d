package io.llmobserve.pipeline.detect;

import io.llmobserve.pipeline.model.LlmSpan;

/** The change detectors over spans: what they key on and which two attributes they watch. */
public enum ChangeKind {
  /** Same requested model, different served model version or system fingerprint. */
  MODEL_DRIFT("model_drift", "response model", "system fingerprint") {
    @Override
    String key(String service, String provider, String modelAsked, String serverAddress) {
      return service + '|' + provider + '|' + modelAsked;
    }

    @Override
    String first(LlmSpan s) {
      return s.responseModel;
    }

    @Override
    String second(LlmSpan s) {
      return s.systemFingerprint;
    }
  },
  /**
   * Same endpoint (service, provider, requested model or deployment, server address), served by a
   * different hosting provider or region. Keyed on what the app asked for, not the served model:
   * two Azure deployments in two regions serve the same model version, and that is two stable
   * routes, not one route flapping.
   */
  ROUTING_CHANGE("routing_change", "hosting provider", "region") {
    @Override
    String key(String service, String provider, String modelAsked, String serverAddress) {
      return service + '|' + provider + '|' + modelAsked + '|' + serverAddress;
    }

    @Override
    String first(LlmSpan s) {
      return s.hostingProvider;
    }

    @Override
    String second(LlmSpan s) {
      return s.region;
    }
  };

  public final String kind;
  final String firstName;
  final String secondName;

  ChangeKind(String kind, String firstName, String secondName) {
    this.kind = kind;
    this.firstName = firstName;
    this.secondName = secondName;
  }

  String key(LlmSpan s) {
    return key(
        s.service, s.provider, s.requestModel != null ? s.requestModel : s.model, s.serverAddress);
  }

  /**
   * @param modelAsked the request model, else the model label
   */
  abstract String key(String service, String provider, String modelAsked, String serverAddress);

  abstract String first(LlmSpan s);

  abstract String second(LlmSpan s);

  public String operatorName() {
    return "detect-" + kind.replace('_', '-');
  }
}
