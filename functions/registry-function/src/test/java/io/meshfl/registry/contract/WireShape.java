package io.meshfl.registry.contract;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The JSON shape of a Java type as Jackson writes and reads it: which properties an object has (recursively), and
 * of what kind each value is. Two types with the same shape are the same on the wire, whatever their Java types
 * (an entity's enum and the client's enum with the same constants, {@code OffsetDateTime} and {@code Instant},
 * {@code Long} and {@code long}).
 */
sealed interface WireShape {

    /** A string, a number, a boolean, an ISO-8601 timestamp, or any JSON at all ({@link JsonNode}). */
    record Scalar(String kind) implements WireShape {
    }

    /** An enum: its constants as strings. A client may read it as a plain string. */
    record Constants(Set<String> names) implements WireShape {
    }

    record Array(WireShape element) implements WireShape {
    }

    /** A JSON object keyed by arbitrary strings (a Java {@code Map}). */
    record Dictionary(WireShape value) implements WireShape {
    }

    /** A record or bean: its JSON properties by name. */
    record Obj(String javaName, Map<String, WireShape> properties) implements WireShape {
    }

    Scalar ANY = new Scalar("any JSON");

    /** The shape of what Jackson writes from {@code type}: what a server answers, what a client sends. */
    static WireShape written(ObjectMapper json, java.lang.reflect.Type type) {
        return of(json, json.constructType(type), true, new LinkedHashSet<>());
    }

    /** The shape of what Jackson reads into {@code type}: what a client accepts, what a server takes. */
    static WireShape read(ObjectMapper json, java.lang.reflect.Type type) {
        return of(json, json.constructType(type), false, new LinkedHashSet<>());
    }

    private static WireShape of(ObjectMapper json, JavaType type, boolean written, Set<Class<?>> visiting) {
        Class<?> raw = type.getRawClass();
        if (JsonNode.class.isAssignableFrom(raw) || raw == Object.class) {
            return ANY;
        }
        if (raw == String.class || raw == Character.class || raw == char.class) {
            return new Scalar("string");
        }
        if (raw.isEnum()) {
            Set<String> names = new LinkedHashSet<>();
            Arrays.stream(raw.getEnumConstants()).forEach(c -> names.add(((Enum<?>) c).name()));
            return new Constants(names);
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return new Scalar("boolean");
        }
        if (Number.class.isAssignableFrom(raw) || raw.isPrimitive()) {
            return new Scalar("number");
        }
        if (raw == Instant.class || raw == OffsetDateTime.class) {
            return new Scalar("timestamp");
        }
        if (type.isCollectionLikeType() || type.isArrayType()) {
            return new Array(of(json, type.getContentType(), written, visiting));
        }
        if (type.isMapLikeType()) {
            return new Dictionary(of(json, type.getContentType(), written, visiting));
        }
        if (!visiting.add(raw)) {
            throw new IllegalArgumentException(raw + " contains itself: not a wire record");
        }
        BeanDescription bean = written
                ? json.getSerializationConfig().introspect(type)
                : json.getDeserializationConfig().introspect(type);
        Map<String, WireShape> properties = new TreeMap<>();
        for (BeanPropertyDefinition property : bean.findProperties()) {
            if (written ? property.couldSerialize() : property.couldDeserialize()) {
                properties.put(property.getName(), of(json, property.getPrimaryType(), written, visiting));
            }
        }
        visiting.remove(raw);
        return new Obj(raw.getName(), properties);
    }

    /** The properties of both objects (a client record that reads either of two answers); shared ones must agree. */
    static Obj union(Obj first, Obj second) {
        Map<String, WireShape> properties = new TreeMap<>(first.properties());
        second.properties().forEach((name, shape) -> {
            WireShape known = properties.putIfAbsent(name, shape);
            if (known != null && !differences(known, shape, name).isEmpty()) {
                throw new IllegalArgumentException(name + " differs between " + first.javaName() + " and "
                        + second.javaName());
            }
        });
        return new Obj(first.javaName() + " + " + second.javaName(), properties);
    }

    /** {@code shape} with every object of Java type {@code javaName}, at any depth, replaced by {@code by}. */
    static WireShape replacing(WireShape shape, String javaName, WireShape by) {
        if (shape instanceof Obj o) {
            if (o.javaName().equals(javaName)) {
                return by;
            }
            Map<String, WireShape> properties = new TreeMap<>();
            o.properties().forEach((name, value) -> properties.put(name, replacing(value, javaName, by)));
            return new Obj(o.javaName(), properties);
        }
        if (shape instanceof Array a) {
            return new Array(replacing(a.element(), javaName, by));
        }
        if (shape instanceof Dictionary d) {
            return new Dictionary(replacing(d.value(), javaName, by));
        }
        return shape;
    }

    /**
     * Where the server's shape and the client's differ, one line per difference naming the JSON path. A server enum
     * read by the client as a string is no difference; {@link #ANY} on either side matches anything.
     */
    static List<String> differences(WireShape server, WireShape client, String path) {
        List<String> found = new ArrayList<>();
        compare(server, client, path, found);
        return found;
    }

    private static void compare(WireShape server, WireShape client, String path, List<String> found) {
        if (server.equals(ANY) || client.equals(ANY)) {
            return;
        }
        if (server instanceof Constants s && client instanceof Scalar c && c.kind().equals("string")) {
            return;
        }
        if (server instanceof Obj s && client instanceof Obj c) {
            Set<String> names = new LinkedHashSet<>(s.properties().keySet());
            names.addAll(c.properties().keySet());
            for (String name : names) {
                WireShape inServer = s.properties().get(name);
                WireShape inClient = c.properties().get(name);
                if (inServer == null) {
                    found.add(path + "." + name + ": only the client's " + c.javaName() + " has it");
                } else if (inClient == null) {
                    found.add(path + "." + name + ": only the server's " + s.javaName() + " has it");
                } else {
                    compare(inServer, inClient, path + "." + name, found);
                }
            }
        } else if (server instanceof Array s && client instanceof Array c) {
            compare(s.element(), c.element(), path + "[]", found);
        } else if (server instanceof Dictionary s && client instanceof Dictionary c) {
            compare(s.value(), c.value(), path + "{}", found);
        } else if (!server.equals(client)) {
            found.add(path + ": the server has " + describe(server) + ", the client " + describe(client));
        }
    }

    private static String describe(WireShape shape) {
        if (shape instanceof Scalar s) {
            return s.kind();
        }
        if (shape instanceof Constants c) {
            return "one of " + c.names();
        }
        if (shape instanceof Obj o) {
            return "an object (" + o.javaName() + ")";
        }
        return shape instanceof Array ? "an array" : "a map";
    }
}
