package io.archiveguardian.guardian.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.GuardianException;
import io.archiveguardian.guardian.cli.Main;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.SettingsResolver;
import io.archiveguardian.guardian.sidecar.SidecarServer;
import io.archiveguardian.testsupport.Commands;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code http.tls.*}: a real PKCS12 keystore made by the JDK's keytool; a client that trusts its
 * certificate gets answers, plain HTTP and an untrusting client get none, and every bad setting
 * stops the start with exit 2 and a message naming the key.
 */
class HttpsTest {

    private static final String PASSWORD = "changeit-42";

    @TempDir
    static Path keys;

    static Path keystore;

    @TempDir
    Path tmp;

    @BeforeAll
    static void makeKeystore() throws Exception {
        keystore = keys.resolve("guardian.p12");
        Commands.check(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-alias", "guardian", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
    }

    private Map<String, String> config(Map<String, String> extra) throws Exception {
        Path logDir = Files.createDirectories(tmp.resolve("logs"));
        Map<String, String> config = new HashMap<>(Map.of("log.dirs", logDir.toString(), "http.listen", "127.0.0.1:0",
                "scan.interval.ms", "60000", "state.dir", tmp.resolve("state").toString()));
        config.putAll(extra);
        return config;
    }

    /** A client that trusts exactly the certificate in the generated keystore. */
    private static HttpClient trusting() throws Exception {
        KeyStore server = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            server.load(in, PASSWORD.toCharArray());
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("guardian", server.getCertificate("guardian"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Test
    void aClientTrustingTheCertificateIsAnsweredOverHttpsAndPlainHttpIsNot() throws Exception {
        Path passwordFile = Files.writeString(tmp.resolve("password"), PASSWORD + "\n");
        try (SidecarServer server = SidecarServer.start(SettingsResolver.resolve(GuardianConfig.of(config(Map.of(
                "http.token", "s3cret",
                "http.tls.keystore.path", keystore.toString(),
                "http.tls.keystore.password.file", passwordFile.toString())))))) {
            assertThat(server.baseUrl()).startsWith("https://127.0.0.1:");
            HttpClient client = trusting();
            long t0 = System.nanoTime();
            HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/healthz"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("ok\n");
            System.out.printf("first HTTPS answer after %.2f s%n", (System.nanoTime() - t0) / 1e9);
            HttpResponse<String> release = client.send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                            + "/api/v1/ballast/release?reason=tls%20drill")).header("Authorization", "Bearer s3cret")
                    .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(release.statusCode()).as(release.body()).isEqualTo(200);

            String plainUrl = server.baseUrl().replace("https://", "http://") + "/healthz";
            HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String plainOutcome;
            long plainStart = System.nanoTime();
            try {
                HttpResponse<String> r = plain.send(HttpRequest.newBuilder(URI.create(plainUrl)).timeout(Duration.ofSeconds(10))
                        .build(), HttpResponse.BodyHandlers.ofString());
                plainOutcome = r.statusCode() + " " + r.body();
            } catch (java.io.IOException e) {
                plainOutcome = "refused: " + e;
            }
            System.out.printf("plain HTTP to the HTTPS port, after %.2f s: %s%n", (System.nanoTime() - plainStart) / 1e9, plainOutcome);
            assertThat(plainOutcome).as("plain HTTP to the HTTPS port").doesNotStartWith("200").doesNotContain("ok\n");

            // guardian cluster --config: the sidecar speaks HTTPS, so the CLI asks over HTTPS (and, not trusting
            // this test's certificate, says where it tried)
            int port = server.http().address().getPort();
            Path cliConfig = Files.write(tmp.resolve("cli.properties"), List.of("http.listen=127.0.0.1:" + port,
                    "http.tls.keystore.path=" + keystore, "http.tls.keystore.password.file=" + passwordFile));
            StringWriter cliErr = new StringWriter();
            int cliCode = Main.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(cliErr, true),
                    "cluster", "--config", cliConfig.toString());
            assertThat(cliCode).isEqualTo(ExitCodes.FAILED);
            assertThat(cliErr.toString()).contains("cannot reach the sidecar at https://127.0.0.1:" + port);

            assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                    + "/healthz")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()))
                    .as("a client that does not trust the certificate").isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
        }
    }

    private GuardianException refused(Map<String, String> tls) throws Exception {
        GuardianConfig config = GuardianConfig.of(config(tls));
        try {
            HttpOptions.from(config);
        } catch (GuardianException e) {
            assertThat(e.exitCode()).as(e.getMessage()).isEqualTo(ExitCodes.USAGE);
            return e;
        }
        throw new AssertionError("accepted: " + tls);
    }

    @Test
    void everyBadTlsSettingIsRefusedWithTheKeyAndWhatToDo() throws Exception {
        assertThat(refused(Map.of("http.tls.keystore.path", tmp.resolve("missing.p12").toString(),
                "http.tls.keystore.password", PASSWORD)).getMessage())
                .startsWith("http.tls.keystore.path=" + tmp.resolve("missing.p12") + ": no such file");
        assertThat(refused(Map.of("http.tls.keystore.path", keystore.toString(),
                "http.tls.keystore.password", "wrong")).getMessage())
                .contains("the password does not open the keystore");
        assertThat(refused(Map.of("http.tls.keystore.path", keystore.toString())).getMessage())
                .contains("needs its password: set http.tls.keystore.password or http.tls.keystore.password.file");
        assertThat(refused(Map.of("http.tls.keystore.path", keystore.toString(),
                "http.tls.keystore.password.file", tmp.resolve("nope").toString())).getMessage())
                .startsWith("http.tls.keystore.password.file=" + tmp.resolve("nope") + ": no such file");
        assertThat(refused(Map.of("http.tls.keystore.path", keystore.toString(), "http.tls.keystore.password", PASSWORD,
                "http.tls.keystore.password.file", keystore.toString())).getMessage())
                .contains("are both set: give one of them");
        assertThat(refused(Map.of("http.tls.keystore.password", PASSWORD)).getMessage())
                .contains("is set but http.tls.keystore.path is empty");
        Path notAKeystore = Files.writeString(tmp.resolve("text.p12"), "not a keystore");
        assertThat(refused(Map.of("http.tls.keystore.path", notAKeystore.toString(),
                "http.tls.keystore.password", PASSWORD)).getMessage())
                .startsWith("http.tls.keystore.path=" + notAKeystore + ":");
        // a keystore with only a trusted certificate: no key to serve with
        KeyStore certOnly = KeyStore.getInstance("PKCS12");
        certOnly.load(null, null);
        KeyStore server = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            server.load(in, PASSWORD.toCharArray());
        }
        certOnly.setCertificateEntry("ca", server.getCertificate("guardian"));
        Path trustOnly = tmp.resolve("trust.p12");
        try (var out = Files.newOutputStream(trustOnly)) {
            certOnly.store(out, PASSWORD.toCharArray());
        }
        assertThat(refused(Map.of("http.tls.keystore.path", trustOnly.toString(),
                "http.tls.keystore.password", PASSWORD)).getMessage())
                .contains("holds no private key with a certificate chain");
    }

    @Test
    void guardianRunWithAWrongKeystorePasswordExitsTwoAndListensOnNothing() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Map<String, String> values = config(Map.of("http.listen", "127.0.0.1:" + port,
                "http.tls.keystore.path", keystore.toString(), "http.tls.keystore.password", "wrong"));
        Path file = Files.write(tmp.resolve("guardian.properties"),
                values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), "run", "--config", file.toString());
        assertThat(code).as(err.toString()).isEqualTo(2);
        assertThat(err.toString()).contains("http.tls.keystore.path=" + keystore + ": the password does not open the keystore");
        assertThat(out.toString()).doesNotContain("HTTP on");
        try (ServerSocket again = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).as("the port was never bound").isEqualTo(port);
        }
        assertThat(List.of(code)).containsExactly(ExitCodes.USAGE);
    }
}
