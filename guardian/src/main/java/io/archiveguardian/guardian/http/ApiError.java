package io.archiveguardian.guardian.http;

import io.archiveguardian.guardian.json.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The one shape of an HTTP error: {@code {"error": "what went wrong and what to do", "status": 400,
 * "parameters": ["logdir", "tiers"]}}. {@code parameters} (the route's query parameters) is there on a
 * 400 of a route that takes any; it is left out otherwise.
 */
final class ApiError {

    private ApiError() {
    }

    static String json(int status, String message, List<String> parameters) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("status", status);
        if (!parameters.isEmpty()) {
            body.put("parameters", parameters);
        }
        return Json.write(body);
    }

    static HttpApi.Response response(int status, String message, List<String> parameters) {
        return HttpApi.Response.json(status, json(status, message, parameters));
    }

    /**
     * Errors Jetty answers itself (a request line it cannot parse, a header too large, a request the
     * handler could not finish) in the same JSON shape, never Jetty's HTML page.
     */
    static final class JsonErrorHandler extends ErrorHandler {

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            int status = response.getStatus() > 0 ? response.getStatus() : 500;
            Object message = request.getAttribute(ERROR_MESSAGE);
            Object cause = request.getAttribute(ERROR_EXCEPTION);
            String text = message != null ? message.toString()
                    : cause != null ? cause.toString() : HttpStatus.getMessage(status);
            byte[] body = json(status, text, List.of()).getBytes(StandardCharsets.UTF_8);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
            response.write(true, ByteBuffer.wrap(body), callback);
            return true;
        }

        @Override
        public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
            fields.put(HttpHeader.CONTENT_TYPE, "application/json");
            fields.put(HttpHeader.CACHE_CONTROL, "no-store");
            return ByteBuffer.wrap(json(status, reason == null ? HttpStatus.getMessage(status) : reason, List.of())
                    .getBytes(StandardCharsets.UTF_8));
        }
    }
}
