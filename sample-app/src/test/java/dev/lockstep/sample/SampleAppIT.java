package dev.lockstep.sample;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import dev.lockstep.sample.SampleJar.App;
import dev.lockstep.sample.SampleJar.Run;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged sample started as a user starts it, with no configuration but where to keep its data and which
 * port to use: it starts its own PostgreSQL, applies every release, serves its API, is ready, stops on SIGTERM, and
 * after a restart still has its data and its migration history.
 */
class SampleAppIT {

	@TempDir
	Path directory;

	private App app;

	@AfterEach
	void stopLeftovers() {
		if (this.app != null) {
			this.app.destroyIfAlive();
		}
	}

	@Test
	void startsOnItsOwnServesItsApiStopsAndKeepsItsDataAcrossARestart() throws IOException {
		Path dataDirectory = this.directory.resolve("data");
		SampleJar jar = new SampleJar(this.directory.resolve("work"));
		int changeSets = Releases.changeSets().size();
		String lastRelease = Releases.last().version();
		List<Releases.ChangeSet> lastChangeSets = Releases.last().changeSets();
		String head = lastChangeSets.get(lastChangeSets.size() - 1).id() + "::ana";

		int port = freePort();
		this.app = jar.serve(List.of("--sample.embedded-postgres.data-dir=" + dataDirectory, "--server.port=" + port));
		assertThat(this.app.port()).isEqualTo(port);
		assertThat(this.app.stdout()).contains("[1/" + changeSets + "] changeset 2024-01-create-customers::ana",
				"[" + changeSets + "/" + changeSets + "] changeset", "Applied " + changeSets + " changeset(s)");

		// The REST API, on the schema the migrations built.
		Http.Response created = Http.postJson(port, "/customers", "{\"name\":\"Ada\",\"email\":\"ada@example.com\"}")
			.expect(201);
		long customer = created.json().get("id").asLong();
		assertThat(created.header("Location")).isEqualTo("/customers/" + customer);
		assertThat(created.json().get("name").asString()).isEqualTo("Ada");
		Http.Response order = Http.postJson(port, "/orders", "{\"customerId\":" + customer + ",\"totalCents\":4200}")
			.expect(201);
		long orderId = order.json().get("id").asLong();
		assertThat(order.json().get("status").asString()).isEqualTo("PLACED");
		assertThat(order.json().get("createdAt").asString()).isNotBlank();
		assertThat(Http.get(port, "/customers").expect(200).json()).hasSize(1);
		assertThat(Http.postJson(port, "/orders", "{\"customerId\":" + (customer + 1000) + ",\"totalCents\":1}")
			.expect(400)
			.json()
			.get("message")
			.asString()).isEqualTo("No customer " + (customer + 1000));
		Http.postJson(port, "/customers", "{\"email\":\"nobody@example.com\"}").expect(400);
		Http.get(port, "/customers/" + (customer + 1000)).expect(404);

		// Where the schema stands: every release applied, tagged with the newest.
		JsonNode migrations = Http.get(port, "/actuator/migrations").expect(200).json();
		assertThat(migrations.get("state").asString()).isEqualTo("UP_TO_DATE");
		assertThat(migrations.get("mode").asString()).isEqualTo("apply");
		assertThat(migrations.get("current").get("tag").asString()).isEqualTo(lastRelease);
		assertThat(migrations.get("appliedCount").asInt()).isEqualTo(changeSets);
		assertThat(migrations.get("pending")).isEmpty();
		assertThat(migrations.get("lastRun").get("outcome").asString()).isEqualTo("SUCCESS");
		assertThat(migrations.get("lastRun").get("applied").asInt()).isEqualTo(changeSets);
		assertThat(migrations.get("database").get("url").asString()).startsWith("jdbc:postgresql://localhost:")
			.doesNotContain("password");
		// Ready, with the migrations contributor part of the readiness group.
		JsonNode readiness = Http.get(port, "/actuator/health/readiness").expect(200).json();
		assertThat(readiness.get("status").asString()).isEqualTo("UP");
		JsonNode contributor = readiness.get("components").get("migrations");
		assertThat(contributor).as("migrations in the readiness group: %s", readiness).isNotNull();
		assertThat(contributor.get("status").asString()).isEqualTo("UP");
		assertThat(contributor.get("details").get("state").asString()).isEqualTo("UP_TO_DATE");
		assertThat(contributor.get("details").get("tag").asString()).isEqualTo(lastRelease);

		// SIGTERM: the application and its PostgreSQL stop cleanly.
		Run stopped = this.app.stop();
		assertThat(stopped.exitCode()).as("exit code after SIGTERM%n%s", stopped.output()).isIn(0, 143);
		assertThat(stopped.stdout()).contains("Graceful shutdown complete");
		assertThat(dataDirectory.resolve("postmaster.pid")).as("PostgreSQL stopped with the application")
			.doesNotExist();

		// Started again on the same data: nothing to apply, the rows are still there.
		port = freePort();
		this.app = jar.serve(List.of("--sample.embedded-postgres.data-dir=" + dataDirectory, "--server.port=" + port));
		assertThat(this.app.stdout()).contains("Schema is up to date at " + head)
			.doesNotContain("[1/");
		JsonNode customerAgain = Http.get(port, "/customers/" + customer).expect(200).json();
		assertThat(customerAgain.get("name").asString()).isEqualTo("Ada");
		assertThat(customerAgain.get("email").asString()).isEqualTo("ada@example.com");
		JsonNode orders = Http.get(port, "/orders?customerId=" + customer).expect(200).json();
		assertThat(orders).hasSize(1);
		assertThat(orders.get(0).get("id").asLong()).isEqualTo(orderId);
		assertThat(orders.get(0).get("totalCents").asLong()).isEqualTo(4200);
		migrations = Http.get(port, "/actuator/migrations").expect(200).json();
		assertThat(migrations.get("state").asString()).isEqualTo("UP_TO_DATE");
		assertThat(migrations.get("current").get("tag").asString()).isEqualTo(lastRelease);
		assertThat(migrations.get("appliedCount").asInt()).isEqualTo(changeSets);
		Http.get(port, "/actuator/health/readiness").expect(200);
		stopped = this.app.stop();
		assertThat(dataDirectory.resolve("postmaster.pid")).doesNotExist();
	}

	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
	}

}
