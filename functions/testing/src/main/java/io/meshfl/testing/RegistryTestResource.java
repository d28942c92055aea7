package io.meshfl.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Gives a function under test a real registry ({@link RegistryProcess}): by default the JVM-wide shared one; with
 * init argument {@code fresh=true} a new registry on an empty database for this test resource, stopped with it.
 *
 * <p>Properties it sets for the application under test:
 * <ul>
 *   <li>{@value #URL}: the registry's base URL, e.g. {@code http://127.0.0.1:41234};</li>
 *   <li>{@value #TOKEN}: a {@code function}-role bearer token the function calls the registry with;</li>
 *   <li>{@value #JWT_PUBLIC_KEY} and {@value #JWT_ISSUER}: the registry's issuer, so that a function which checks
 *   its own callers' tokens (the aggregation function's HTTP binding) trusts the tokens the test mints.</li>
 * </ul>
 * A test class reaches the registry (to mint governance or domain tokens with its issuer, or to set up a model)
 * through a field annotated {@link InjectRegistry}, or through {@link RegistryProcess#shared()}.
 */
public class RegistryTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String URL = "meshfl.registry.url";
    public static final String TOKEN = "meshfl.registry.token";
    public static final String JWT_PUBLIC_KEY = "mp.jwt.verify.publickey.location";
    public static final String JWT_ISSUER = "mp.jwt.verify.issuer";

    private boolean fresh;
    private RegistryProcess registry;

    @Override
    public void init(Map<String, String> initArgs) {
        fresh = Boolean.parseBoolean(initArgs.getOrDefault("fresh", "false"));
    }

    @Override
    public Map<String, String> start() {
        registry = fresh ? RegistryProcess.start() : RegistryProcess.shared();
        return Map.of(
                URL, registry.baseUrl().toString(),
                TOKEN, registry.issuer().function(),
                JWT_PUBLIC_KEY, registry.issuer().publicKeyPem().toAbsolutePath().toString(),
                JWT_ISSUER, registry.issuer().issuer());
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(registry,
                new TestInjector.AnnotatedAndMatchesType(InjectRegistry.class, RegistryProcess.class));
    }

    @Override
    public void stop() {
        if (fresh && registry != null) {
            registry.close();
        }
    }
}
