package io.llmobserve.agent.netty;

import static io.opentelemetry.javaagent.extension.matcher.AgentElementMatchers.hasClassesNamed;

import io.llmobserve.agent.extension.HelperClassIndex;
import io.opentelemetry.javaagent.extension.instrumentation.InstrumentationModule;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import java.util.Arrays;
import java.util.List;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * LLM calls made by any Netty 4.1/4.2 HTTP client: Reactor Netty's {@code HttpClient} (Spring
 * WebClient and RestClient, Spring AI, the Azure SDK's default transport) and the AWS SDK's {@code
 * netty-nio-client} (HTTP/1.1 and HTTP/2), with one hook on the channel pipeline. Disable with
 * {@code otel.instrumentation.llm-netty.enabled=false} (or {@code llm} for all).
 */
public final class NettyInstrumentationModule extends InstrumentationModule {
  public NettyInstrumentationModule() {
    super("llm-netty", "llm");
  }

  @Override
  public ElementMatcher.Junction<ClassLoader> classLoaderMatcher() {
    return hasClassesNamed(
        "io.netty.channel.DefaultChannelPipeline", "io.netty.handler.codec.http.HttpObject");
  }

  @Override
  public boolean isHelperClass(String className) {
    return HelperClassIndex.isHelperClassName(className);
  }

  @Override
  public List<String> getAdditionalHelperClassNames() {
    return HelperClassIndex.helperClassNames(NettyInstrumentationModule.class);
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Arrays.asList(new ChannelPipelineInstrumentation(), new ReactorNettyInstrumentation());
  }
}
