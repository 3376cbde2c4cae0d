package io.llmobserve.providers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UrlRedactorTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "https://generativelanguage.googleapis.com/v1beta/models/g:generateContent?key=AIzaSyXYZ|https://generativelanguage.googleapis.com/v1beta/models/g:generateContent?key=REDACTED",
        "https://x.openai.azure.com/openai/deployments/d/chat/completions?api-version=2024-10-21&api-key=abc|https://x.openai.azure.com/openai/deployments/d/chat/completions?api-version=2024-10-21&api-key=REDACTED",
        "https://a.blob.core.windows.net/c/b?sv=2022&sig=abc%2Bdef&se=2025|https://a.blob.core.windows.net/c/b?sv=2022&sig=REDACTED&se=2025",
        "https://s3.amazonaws.com/b/k?X-Amz-Credential=AKIA/x&X-Amz-Signature=f00&X-Amz-Date=1|https://s3.amazonaws.com/b/k?X-Amz-Credential=REDACTED&X-Amz-Signature=REDACTED&X-Amz-Date=1",
        "https://h/p?access_token=t&api_key=k&x=1#frag|https://h/p?access_token=REDACTED&api_key=REDACTED&x=1#frag",
        "https://user:pass@h.example/p?q=1|https://REDACTED:REDACTED@h.example/p?q=1",
        "https://api.openai.com/v1/chat/completions|https://api.openai.com/v1/chat/completions",
        "https://h/p?keyword=cat&monkey=1|https://h/p?keyword=cat&monkey=1",
        "https://h/p?KEY=x&|https://h/p?KEY=REDACTED&",
        "https://h/p?|https://h/p?",
        "https://h/p?key|https://h/p?key",
      })
  void redacts(String in, String out) {
    assertThat(UrlRedactor.redact(in)).isEqualTo(out);
  }

  @Test
  void cleanUrlIsReturnedAsIsAndNullIsNull() {
    String url = "https://api.openai.com/v1/chat/completions?x=1";
    assertThat(UrlRedactor.redact(url)).isSameAs(url);
    assertThat(UrlRedactor.redact(null)).isNull();
  }
}
