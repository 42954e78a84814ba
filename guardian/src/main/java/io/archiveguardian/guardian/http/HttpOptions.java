package io.archiveguardian.guardian.http;

import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.GuardianException;
import io.archiveguardian.guardian.config.GuardianConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.time.Duration;
import java.util.Collections;
import java.util.Optional;
import org.apache.kafka.common.config.types.Password;

/**
 * How the HTTP server treats its clients: the read timeout and, optionally, TLS. Built and checked
 * before anything starts; bad TLS settings are bad configuration (exit 2) with a message naming the
 * key and the file.
 *
 * @param readTimeout longest time for a request head on a new connection, and longest silence on an open one
 * @param tls         the server's key and certificate; empty: plain HTTP
 */
public record HttpOptions(Duration readTimeout, Optional<Tls> tls) {

    /** A loaded PKCS12 keystore whose key opens with {@code password}. */
    public record Tls(Path path, KeyStore keyStore, char[] password) {
    }

    /** Plain HTTP with the given read timeout (tests). */
    public static HttpOptions plain(Duration readTimeout) {
        return new HttpOptions(readTimeout, Optional.empty());
    }

    /** Reads the {@code http.*} keys, loading the keystore when TLS is configured. */
    public static HttpOptions from(GuardianConfig config) {
        Duration readTimeout = Duration.ofMillis(config.getInt(GuardianConfig.HTTP_READ_TIMEOUT_MS));
        String path = config.getString(GuardianConfig.HTTP_TLS_KEYSTORE_PATH).trim();
        Password password = config.getPassword(GuardianConfig.HTTP_TLS_KEYSTORE_PASSWORD);
        String passwordFile = config.getString(GuardianConfig.HTTP_TLS_KEYSTORE_PASSWORD_FILE).trim();
        if (path.isEmpty()) {
            if (password != null || !passwordFile.isEmpty()) {
                throw usage((password != null ? GuardianConfig.HTTP_TLS_KEYSTORE_PASSWORD
                        : GuardianConfig.HTTP_TLS_KEYSTORE_PASSWORD_FILE + "=" + passwordFile)
                        + " is set but " + GuardianConfig.HTTP_TLS_KEYSTORE_PATH + " is empty: give the PKCS12 keystore "
                        + "to serve HTTPS, or remove the password to serve plain HTTP.", null);
            }
            return new HttpOptions(readTimeout, Optional.empty());
        }
        if (password != null && !passwordFile.isEmpty()) {
            throw usage(GuardianConfig.HTTP_TLS_KEYSTORE_PASSWORD + " and " + GuardianConfig.HTTP_TLS_KEYSTORE_PASSWORD_FILE
                    + " are both set: give one of them.", null);
        }
        char[] secret;
        if (password != null) {
            secret = password.value().toCharArray();
        } else if (!passwordFile.isEmpty()) {
            secret = readPasswordFile(Path.of(passwordFile));
        } else {
            throw usage(GuardianConfig.HTTP_TLS_KEYSTORE_PATH + "=" + path + " needs its password: set "
                    + GuardianConfig.HTTP_TLS_KEYSTORE_PASSWORD + " or " + GuardianConfig.HTTP_TLS_KEYSTORE_PASSWORD_FILE
                    + ".", null);
        }
        return new HttpOptions(readTimeout, Optional.of(load(Path.of(path), secret)));
    }

    private static char[] readPasswordFile(Path file) {
        String key = GuardianConfig.HTTP_TLS_KEYSTORE_PASSWORD_FILE + "=" + file;
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            String stripped = text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                    : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
            if (stripped.isEmpty()) {
                throw usage(key + ": the file is empty; write the keystore's password into it.", null);
            }
            return stripped.toCharArray();
        } catch (NoSuchFileException e) {
            throw usage(key + ": no such file; give the file that holds the keystore's password.", e);
        } catch (IOException e) {
            throw usage(key + ": cannot read it (" + e + ").", e);
        }
    }

    /** Loads a PKCS12 keystore and checks that it holds a private key that opens with the password. */
    static Tls load(Path file, char[] password) {
        String key = GuardianConfig.HTTP_TLS_KEYSTORE_PATH + "=" + file;
        KeyStore ks;
        try (InputStream in = Files.newInputStream(file)) {
            ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
        } catch (NoSuchFileException e) {
            throw usage(key + ": no such file; give the PKCS12 keystore with the server's key and certificate "
                    + "(or leave the key empty for plain HTTP). Nothing was started.", e);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException || String.valueOf(e.getMessage()).contains("password")) {
                throw usage(key + ": the password does not open the keystore (wrong " + GuardianConfig.HTTP_TLS_KEYSTORE_PASSWORD
                        + " or " + GuardianConfig.HTTP_TLS_KEYSTORE_PASSWORD_FILE + "). Nothing was started.", e);
            }
            throw usage(key + ": not a readable PKCS12 keystore (" + e.getMessage() + "). Nothing was started.", e);
        } catch (GeneralSecurityException e) {
            throw usage(key + ": not a usable PKCS12 keystore (" + e.getMessage() + "). Nothing was started.", e);
        }
        try {
            for (String alias : Collections.list(ks.aliases())) {
                if (ks.isKeyEntry(alias) && ks.getKey(alias, password) != null && ks.getCertificateChain(alias) != null) {
                    return new Tls(file, ks, password);
                }
            }
        } catch (UnrecoverableKeyException e) {
            throw usage(key + ": the password opens the keystore but not its private key; use one password for both. "
                    + "Nothing was started.", e);
        } catch (GeneralSecurityException e) {
            throw usage(key + ": cannot read its entries (" + e.getMessage() + "). Nothing was started.", e);
        }
        throw usage(key + ": the keystore holds no private key with a certificate chain; put the server's key and "
                + "certificate in it (keytool -genkeypair, or openssl pkcs12 -export). Nothing was started.", null);
    }

    private static GuardianException usage(String message, Throwable cause) {
        return cause == null ? new GuardianException(ExitCodes.USAGE, message)
                : new GuardianException(ExitCodes.USAGE, message, cause);
    }
}
