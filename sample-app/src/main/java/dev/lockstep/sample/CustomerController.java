package dev.lockstep.sample;

import java.net.URI;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Customers, on the schema the migrations built.
 * <p>
 * Release 1.4.0 (the expand half of renaming {@code name} to {@code full_name}) wrote both columns, so that the
 * instances of 1.3.0 still running during its rollout read every customer:
 * {@code INSERT INTO customers (name, full_name, email) VALUES (:name, :name, :email)}. This release (1.5.0, the
 * contract half) knows only {@code full_name}.
 */
@RestController
@RequestMapping("/customers")
class CustomerController {

	private static final String SELECT = "SELECT id, full_name AS name, email FROM customers";

	private final JdbcClient jdbc;

	CustomerController(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@GetMapping
	List<Customer> list() {
		return this.jdbc.sql(SELECT + " ORDER BY id").query(Customer.class).list();
	}

	@GetMapping("/{id}")
	Customer get(@PathVariable long id) {
		return this.jdbc.sql(SELECT + " WHERE id = :id")
			.param("id", id)
			.query(Customer.class)
			.optional()
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No customer " + id));
	}

	@PostMapping
	ResponseEntity<Customer> create(@RequestBody Customer customer) {
		if (customer.name() == null || customer.name().isBlank()) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "A customer needs a name");
		}
		Long id = this.jdbc.sql("INSERT INTO customers (full_name, email) VALUES (:name, :email) RETURNING id")
			.param("name", customer.name())
			.param("email", customer.email())
			.query(Long.class)
			.single();
		return ResponseEntity.created(URI.create("/customers/" + id))
			.body(new Customer(id, customer.name(), customer.email()));
	}

}
