package io.meshfl.mesh.demo;

import io.meshfl.auth.LocalTokenIssuer;
import io.meshfl.mesh.federation.RenewedToken;
import io.meshfl.registry.api.DashboardLoginLink;
import io.meshfl.registry.api.RegistryConnection;
import java.io.PrintWriter;
import java.time.Clock;

/** {@code --serve}: keeps the mesh (the registry's API and dashboard) up after the last round. */
final class MeshServer {

    private MeshServer() {
    }

    /**
     * Keeps the mesh up until Ctrl-C (the shutdown hook stops it) or an interrupt; false when interrupted.
     */
    static boolean serve(LocalMesh mesh, LocalTokenIssuer issuer, MeshLayout layout, PrintWriter out) {
        RenewedToken token = RenewedToken.governance(issuer, Clock.systemUTC());
        // The token goes into a 0600 file, never to the console or into a URL (history, proxy logs): the dashboard
        // link carries a one-time code the registry exchanges for the session cookie. It is short-lived and the file
        // is renewed while the mesh serves, so a copy taken from it is worth minutes.
        RenewedTokenFile renewal = RenewedTokenFile.start(layout.governanceToken(), token, LocalMesh.TOKEN_RENEWAL);
        DashboardLoginLink link = RegistryConnection.to(mesh.registry()).as(token).dashboardLogin();
        out.println("Serving until Ctrl-C:");
        out.println("  dashboard         " + mesh.registry().resolve(link.loginPath())
                + "  (one-time link, valid 2 min)");
        out.println("  registry API      " + mesh.registry() + " (OpenAPI at " + mesh.registry().resolve("/q/swagger-ui")
                + ")");
        out.println("  governance token  in " + layout.governanceToken() + " (valid "
                + RenewedToken.LIFETIME.toMinutes() + " min, renewed every " + LocalMesh.TOKEN_RENEWAL.toMinutes()
                + " min while the mesh serves), e.g. curl -H \"Authorization: Bearer $(cat "
                + layout.governanceToken() + ")\" " + mesh.registry().resolve("/models"));
        out.println("  new dashboard link: curl -X POST -H \"Authorization: Bearer $(cat " + layout.governanceToken()
                + ")\" " + mesh.registry().resolve("/dashboard/login/codes"));
        out.flush();
        try (renewal) {
            Thread.currentThread().join();
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }
}
