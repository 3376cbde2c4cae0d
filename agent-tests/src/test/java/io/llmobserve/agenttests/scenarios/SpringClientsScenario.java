package io.llmobserve.agenttests.scenarios;

import static io.llmobserve.agenttests.scenarios.Results.CALL_HEADER;
import static io.llmobserve.agenttests.scenarios.Results.call;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;

/**
 * Spring's RestClient and RestTemplate on the request factories users pick: Apache HttpClient 5
 * (HttpComponentsClientHttpRequestFactory), the JDK HttpClient (JdkClientHttpRequestFactory) and
 * HttpURLConnection (SimpleClientHttpRequestFactory); JSON and streamed SSE. No extra hook: each is
 * observed by the hook of the client underneath. Args: simulator base URL.
 */
public final class SpringClientsScenario {
  public static void main(String[] args) throws Exception {
    String url = args[0] + "/v1/chat/completions";
    Map<String, ClientHttpRequestFactory> factories =
        Map.of(
            "hc5", new HttpComponentsClientHttpRequestFactory(),
            "jdk", new JdkClientHttpRequestFactory(),
            "huc", new SimpleClientHttpRequestFactory());
    for (String name : new String[] {"hc5", "jdk", "huc"}) {
      RestClient restClient = RestClient.builder().requestFactory(factories.get(name)).build();
      String label = "spring.restclient." + name;
      call(
          label,
          () -> {
            String body = JdkHttpClientScenario.chatBody("gpt-4o-mini", false);
            ResponseEntity<byte[]> r =
                restClient
                    .post()
                    .uri(url)
                    .header("Authorization", "Bearer " + OpenAiSdkScenario.API_KEY)
                    .header(CALL_HEADER, label)
                    // Spring reads as many bytes as Content-Length says, and HttpClient 5.6 keeps
                    // the
                    // compressed length on the body it decodes: a gzip body would be cut short
                    // without
                    // any agent. Not what is under test here.
                    .header("Accept-Encoding", "identity")
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(body)
                    .retrieve()
                    .toEntity(byte[].class);
            return RawBlockingClientsScenario.result(
                r.getStatusCode().value(),
                r.getBody(),
                r.getHeaders().getFirst("x-request-id"),
                body);
          });
      String streamLabel = "spring.restclient." + name + ".stream";
      call(
          streamLabel,
          () -> {
            String body = JdkHttpClientScenario.chatBody("gpt-4o", true);
            return restClient
                .post()
                .uri(url)
                .header("Authorization", "Bearer " + OpenAiSdkScenario.API_KEY)
                .header(CALL_HEADER, streamLabel)
                .contentType(MediaType.APPLICATION_JSON)
                .body(body)
                .exchange(
                    (request, response) ->
                        RawBlockingClientsScenario.result(
                            response.getStatusCode().value(),
                            RawBlockingClientsScenario.readInChunks(response.getBody()),
                            response.getHeaders().getFirst("x-request-id"),
                            body));
          });
    }
    for (String name : new String[] {"hc5", "huc"}) {
      RestTemplate template = new RestTemplate(factories.get(name));
      String label = "spring.resttemplate." + name;
      call(
          label,
          () -> {
            String body = JdkHttpClientScenario.chatBody("gpt-4o-mini", false);
            ResponseEntity<byte[]> r =
                template.execute(
                    url,
                    HttpMethod.POST,
                    request -> {
                      request
                          .getHeaders()
                          .set("Authorization", "Bearer " + OpenAiSdkScenario.API_KEY);
                      request.getHeaders().set(CALL_HEADER, label);
                      request.getHeaders().setContentType(MediaType.APPLICATION_JSON);
                      request.getBody().write(body.getBytes(StandardCharsets.UTF_8));
                    },
                    response ->
                        ResponseEntity.status(response.getStatusCode())
                            .headers(response.getHeaders())
                            .body(RawBlockingClientsScenario.readInChunks(response.getBody())));
            return RawBlockingClientsScenario.result(
                r.getStatusCode().value(),
                r.getBody(),
                r.getHeaders().getFirst("x-request-id"),
                body);
          });
    }
  }
}
