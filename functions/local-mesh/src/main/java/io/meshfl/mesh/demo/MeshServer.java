package io.meshfl.mesh.demo;

import io.meshfl.auth.LocalTokenIssuer;
import io.meshfl.registry.api.DashboardLoginLink;
import io.meshfl.registry.api.RegistryConnection;
import java.io.PrintWriter;

/** {@code --serve}: keeps the mesh (the registry's API and dashboard) up after the last round. */
final class MeshServer {

    private MeshServer() {
    }

    /**
     * Keeps the mesh up until Ctrl-C (the shutdown hook stops it) or an interrupt; false when interrupted.
     */
    static boolean serve(LocalMesh mesh, LocalTokenIssuer issuer, MeshLayout layout, PrintWriter out) {
        String token = issuer.governance();
        // The token goes into a 0600 file, never to the console or into a URL (history, proxy logs): the dashboard
        // link carries a one-time code the registry exchanges for the session cookie.
        PrivateFiles.write(layout.governanceToken(), token + "\n");
        DashboardLoginLink link = RegistryConnection.to(mesh.registry()).as(token).dashboardLogin();
        out.println("Serving until Ctrl-C:");
        out.println("  dashboard         " + mesh.registry().resolve(link.loginPath())
                + "  (one-time link, valid 2 min)");
        out.println("  registry API      " + mesh.registry() + " (OpenAPI at " + mesh.registry().resolve("/q/swagger-ui")
                + ")");
        out.println("  governance token  in " + layout.governanceToken() + " (valid "
                + LocalTokenIssuer.DEFAULT_LIFETIME.toHours() + " h), e.g. curl -H \"Authorization: Bearer $(cat "
                + layout.governanceToken() + ")\" " + mesh.registry().resolve("/models"));
        out.println("  new dashboard link: curl -X POST -H \"Authorization: Bearer $(cat " + layout.governanceToken()
                + ")\" " + mesh.registry().resolve("/dashboard/login/codes"));
        out.flush();
        try {
            Thread.currentThread().join();
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }
}
