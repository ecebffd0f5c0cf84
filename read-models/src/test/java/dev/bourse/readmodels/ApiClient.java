package dev.bourse.readmodels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** A small HTTP client for the query API in tests. */
final class ApiClient
{
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;

    ApiClient(final int port)
    {
        this.port = port;
    }

    static String basic(final String user, final String password)
    {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse<String> get(final String pathAndQuery, final String authorization)
    {
        return send("GET", pathAndQuery, authorization);
    }

    HttpResponse<String> send(final String method, final String pathAndQuery, final String authorization)
    {
        return send(method, pathAndQuery, authorization, null, null);
    }

    /** With a body of {@code contentType} (null for none; a null body sends none). */
    HttpResponse<String> send(final String method, final String pathAndQuery, final String authorization, final String contentType,
        final String body)
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
            .timeout(Duration.ofSeconds(30)).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null)
        {
            request.header("Content-Type", contentType);
        }
        if (authorization != null)
        {
            request.header("Authorization", authorization);
        }
        try
        {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Extracts a top-level integer field from a JSON answer (tests only). */
    static long longField(final String json, final String name)
    {
        final String key = "\"" + name + "\":";
        final int at = json.indexOf(key);
        if (at < 0)
        {
            throw new AssertionError("no " + name + " in " + json);
        }
        int end = at + key.length();
        while (end < json.length() && (Character.isDigit(json.charAt(end)) || json.charAt(end) == '-'))
        {
            end++;
        }
        return Long.parseLong(json.substring(at + key.length(), end));
    }

    static String stringField(final String json, final String name)
    {
        final String key = "\"" + name + "\":\"";
        final int at = json.indexOf(key);
        if (at < 0)
        {
            throw new AssertionError("no " + name + " in " + json);
        }
        return json.substring(at + key.length(), json.indexOf('"', at + key.length()));
    }
}
