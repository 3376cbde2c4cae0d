package io.llmobserve.simulator;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Who physically serves a route: the values that end up in hosting headers.
 *
 * @param region hosting region sent as {@code x-ms-region} (Azure; also on the OpenAI route when
 *     {@code emitRegionHeader} is set), null for none
 * @param pop CDN point of presence used as the {@code cf-ray} suffix (e.g. "SJC"), null for no
 *     cf-ray
 * @param systemFingerprint OpenAI/Azure {@code system_fingerprint}, null to omit
 * @param model model served by an Azure deployment when the request body names none
 * @param emitRegionHeader send {@code x-ms-region} on a non-Azure route (an "OpenAI" call really
 *     served by Azure)
 * @param extraNetworkMs delay added outside the server-reported processing time (the routing
 *     "latency tax")
 * @param organization organisation id header value (openai-organization /
 *     anthropic-organization-id)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Persona(
    String region,
    String pop,
    String systemFingerprint,
    String model,
    Boolean emitRegionHeader,
    Long extraNetworkMs,
    String organization) {

  public static Persona of(String region, String pop) {
    return new Persona(region, pop, null, null, null, null, null);
  }

  public Persona withRegion(String v) {
    return new Persona(
        v, pop, systemFingerprint, model, emitRegionHeader, extraNetworkMs, organization);
  }

  public Persona withPop(String v) {
    return new Persona(
        region, v, systemFingerprint, model, emitRegionHeader, extraNetworkMs, organization);
  }

  public Persona withSystemFingerprint(String v) {
    return new Persona(region, pop, v, model, emitRegionHeader, extraNetworkMs, organization);
  }

  public Persona withModel(String v) {
    return new Persona(
        region, pop, systemFingerprint, v, emitRegionHeader, extraNetworkMs, organization);
  }

  public Persona withEmitRegionHeader(boolean v) {
    return new Persona(region, pop, systemFingerprint, model, v, extraNetworkMs, organization);
  }

  public Persona withExtraNetworkMs(long v) {
    return new Persona(region, pop, systemFingerprint, model, emitRegionHeader, v, organization);
  }

  public Persona withOrganization(String v) {
    return new Persona(region, pop, systemFingerprint, model, emitRegionHeader, extraNetworkMs, v);
  }

  /** Fields set here win over {@code base}'s. */
  public Persona over(Persona base) {
    if (base == null) {
      return this;
    }
    return new Persona(
        region != null ? region : base.region,
        pop != null ? pop : base.pop,
        systemFingerprint != null ? systemFingerprint : base.systemFingerprint,
        model != null ? model : base.model,
        emitRegionHeader != null ? emitRegionHeader : base.emitRegionHeader,
        extraNetworkMs != null ? extraNetworkMs : base.extraNetworkMs,
        organization != null ? organization : base.organization);
  }

  public boolean emitsRegionHeader() {
    return Boolean.TRUE.equals(emitRegionHeader);
  }

  public long extraNetworkMillis() {
    return extraNetworkMs == null ? 0 : extraNetworkMs;
  }
}
