package dev.speckitty.server;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Registered for every test class (service loader + autodetection): skips the class with a clear
 * message when the PostgreSQL run has no server to use, and drops the class's databases afterwards.
 */
public final class StoreExtension implements BeforeAllCallback, AfterAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
        if (TestStore.postgres()) {
            String url = System.getenv(TestStore.URL_ENV);
            Assumptions.assumeTrue(url != null && !url.isBlank(), TestStore.URL_ENV + " is not set: skipping the PostgreSQL run of "
                    + context.getDisplayName() + ". Run .ci/setup-postgres.sh and export the variable from .ci/postgres.env");
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (System.getenv(TestStore.URL_ENV) != null) {
            TestStore.dropAll();
        }
    }
}
