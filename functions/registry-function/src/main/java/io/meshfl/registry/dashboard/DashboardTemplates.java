package io.meshfl.registry.dashboard;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The dashboard's pages (templates/dashboard/*.html), type-checked against their data at build time. */
@CheckedTemplate(basePath = "dashboard")
final class DashboardTemplates {

    private DashboardTemplates() {
    }

    static native TemplateInstance overview(FederationOverview overview);

    static native TemplateInstance model(ModelPage page);

    static native TemplateInstance domain(DomainPage page);

    static native TemplateInstance verticalModel(VerticalModelPage page);

    /** Why a page cannot be shown; {@code signIn} adds how to get a session (for 401 and 403). */
    static native TemplateInstance problem(int status, String title, String detail, boolean signIn);
}
