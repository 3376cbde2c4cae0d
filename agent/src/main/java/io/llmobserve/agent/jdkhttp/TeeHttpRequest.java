package io.llmobserve.agent.jdkhttp;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Optional;

/**
 * The app's request with only its body publisher replaced by the teeing one. Everything else is the
 * app's request itself (same headers object, uri, timeout...): the client copies a request it is
 * given once anyway (it accepts any HttpRequest subclass), so no copy is made here.
 */
final class TeeHttpRequest extends HttpRequest {
  private final HttpRequest delegate;
  private final Optional<BodyPublisher> publisher;

  TeeHttpRequest(HttpRequest delegate, TeeBodyPublisher publisher) {
    this.delegate = delegate;
    this.publisher = Optional.of(publisher);
  }

  @Override
  public Optional<BodyPublisher> bodyPublisher() {
    return publisher;
  }

  @Override
  public String method() {
    return delegate.method();
  }

  @Override
  public Optional<Duration> timeout() {
    return delegate.timeout();
  }

  @Override
  public boolean expectContinue() {
    return delegate.expectContinue();
  }

  @Override
  public URI uri() {
    return delegate.uri();
  }

  @Override
  public Optional<HttpClient.Version> version() {
    return delegate.version();
  }

  @Override
  public HttpHeaders headers() {
    return delegate.headers();
  }

  @Override
  public String toString() {
    return delegate.toString();
  }
}
