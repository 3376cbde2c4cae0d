package io.llmobserve.agenttests.scenarios;

import static io.llmobserve.agenttests.scenarios.Results.CALL_HEADER;
import static io.llmobserve.agenttests.scenarios.Results.call;
import static io.llmobserve.agenttests.scenarios.Results.values;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * An app sending credentials in headers (Authorization, api-key, x-api-key, Cookie) to an LLM and
 * to an ordinary service that sets a cookie, run with header capture turned on for exactly those
 * headers. Args: simulator base URL.
 */
public final class CredentialHeadersScenario {
  public static final String BEARER = "sk-HDR-SECRET-0001";
  public static final String API_KEY = "azkey-HDR-SECRET-0002";
  public static final String X_API_KEY = "xkey-HDR-SECRET-0003";
  public static final String COOKIE = "sid=COOKIE-SECRET-0004";
  public static final String SET_COOKIE = "session=SETCOOKIE-SECRET-0005";
  public static final String[] SECRETS = {
    BEARER, API_KEY, X_API_KEY, "COOKIE-SECRET-0004", "SETCOOKIE-SECRET-0005"
  };

  public static void main(String[] args) throws Exception {
    String base = args[0];
    HttpServer service = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    service.createContext(
        "/profile",
        exchange -> {
          byte[] body = "{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Set-Cookie", SET_COOKIE);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    service.start();
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    try {
      call(
          "creds.llm",
          () -> {
            HttpResponse<String> r =
                client.send(
                    withCredentials(
                            HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions")))
                        .header(CALL_HEADER, "creds.llm")
                        .header("Content-Type", "application/json")
                        .POST(
                            HttpRequest.BodyPublishers.ofString(
                                "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
            return values("status", r.statusCode());
          });
      call(
          "creds.service",
          () -> {
            HttpResponse<String> r =
                client.send(
                    withCredentials(
                            HttpRequest.newBuilder(
                                URI.create(
                                    "http://127.0.0.1:"
                                        + service.getAddress().getPort()
                                        + "/profile")))
                        .GET()
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
            return values(
                "status",
                r.statusCode(),
                "setCookie",
                r.headers().firstValue("set-cookie").isPresent());
          });
    } finally {
      service.stop(0);
    }
    System.out.println("DONE");
  }

  private static HttpRequest.Builder withCredentials(HttpRequest.Builder b) {
    return b.header("Authorization", "Bearer " + BEARER)
        .header("api-key", API_KEY)
        .header("x-api-key", X_API_KEY)
        .header("Cookie", COOKIE);
  }
}
