package dev.lockstep.sample;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Customers, on the schema the migrations built.
 */
@RestController
@RequestMapping("/customers")
class CustomerController {

	private final JdbcClient jdbc;

	CustomerController(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@GetMapping
	List<Customer> list() {
		return this.jdbc.sql("SELECT id, name, email FROM customers ORDER BY id").query(Customer.class).list();
	}

	@PostMapping
	@ResponseStatus(HttpStatus.CREATED)
	Customer create(@RequestBody Customer customer) {
		Long id = this.jdbc.sql("INSERT INTO customers (name, email) VALUES (:name, :email) RETURNING id")
			.param("name", customer.name())
			.param("email", customer.email())
			.query(Long.class)
			.single();
		return new Customer(id, customer.name(), customer.email());
	}

}
