package dev.lockstep.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP calls to a running sample, with Java's own client: what {@code curl} would do.
 */
final class Http {

	private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	private static final JsonMapper json = JsonMapper.builder().build();

	private Http() {
	}

	static Response get(int port, String path) {
		return send("GET", URI.create("http://localhost:" + port + path), Map.of(), null);
	}

	static Response postJson(int port, String path, String body) {
		return send("POST", URI.create("http://localhost:" + port + path), Map.of("content-type", "application/json"),
				body);
	}

	static Response send(String method, URI uri, Map<String, String> headers, String body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri)
			.timeout(Duration.ofSeconds(30))
			.method(method, (body != null) ? BodyPublishers.ofString(body) : BodyPublishers.noBody());
		headers.forEach(request::header);
		try {
			HttpResponse<String> response = client.send(request.build(), BodyHandlers.ofString());
			Response result = new Response(method + " " + uri, response.statusCode(), response.body(),
					response.headers().map());
			System.out.printf("%s -> %d %s%n", result.request(), result.status(), result.body());
			return result;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(method + " " + uri, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A response.
	 *
	 * @param request what was asked
	 * @param status its status code
	 * @param body its body
	 * @param headers its headers
	 */
	record Response(String request, int status, String body, Map<String, List<String>> headers) {

		Response expect(int expected) {
			assertThat(this.status).as("status of %s, body %s", this.request, this.body).isEqualTo(expected);
			return this;
		}

		JsonNode json() {
			return Http.json.readTree(this.body);
		}

		String header(String name) {
			return this.headers.entrySet()
				.stream()
				.filter((entry) -> entry.getKey().equalsIgnoreCase(name))
				.map((entry) -> entry.getValue().get(0))
				.findFirst()
				.orElse(null);
		}

	}

}
