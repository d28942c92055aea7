# The check is test equipment: these runs show it can say both yes and no, so the modules' contract runs
# that rely on it could fail. Paths are relative to this directory.

variables {
  contract_path = "../../contract/functions.json"
}

run "an_environment_that_keeps_the_contract_has_no_problems" {
  command = plan
  variables {
    function = "training"
    environment = {
      MESHFL_TRAINING_DOMAIN                    = "value"
      MESHFL_TRAINING_SIGNING_KEY_FILE          = "value"
      MESHFL_TRAINING_REGISTRY_TOKEN_SECRET_ARN = "value"
      MESHFL_OBJECT_STORE_BUCKET                = "value"
      MESHFL_OBJECT_STORE_REGION                = "value"
      MESHFL_REGISTRY_URL                       = "value"
      DJL_OFFLINE                               = "value"
      OPT_OUT_TRACKING                          = "value"
    }
  }
  assert {
    condition     = output.problems == ""
    error_message = "Unexpected problems: ${output.problems}."
  }
}

run "names_no_function_reads_missing_settings_and_secret_values_are_problems" {
  command = plan
  variables {
    function = "training"
    environment = {
      MESHFL_DOMAIN                  = "value"
      MESHFL_TRAINING_SIGNING_KEY    = "value"
      MESHFL_TRAINING_REGISTRY_TOKEN = "reference"
      MESHFL_OBJECT_STORE_BUCKET     = "value"
      MESHFL_REGISTRY_URL            = "value"
      DJL_OFFLINE                    = "value"
      OPT_OUT_TRACKING               = "value"
    }
  }
  assert {
    condition     = output.unread == tolist(["MESHFL_DOMAIN"])
    error_message = "unread: ${jsonencode(output.unread)}."
  }
  assert {
    condition     = output.missing == tolist(["MESHFL_OBJECT_STORE_REGION", "MESHFL_TRAINING_DOMAIN"])
    error_message = "missing: ${jsonencode(output.missing)}."
  }
  assert {
    condition     = output.secrets_in_state == tolist(["MESHFL_TRAINING_SIGNING_KEY"])
    error_message = "secrets_in_state: ${jsonencode(output.secrets_in_state)}."
  }
}

run "a_setting_given_two_ways_is_a_problem" {
  command = plan
  variables {
    function = "aggregation"
    environment = {
      MESHFL_AGGREGATION_LEASE         = "value"
      MESHFL_OBJECT_STORE_BUCKET       = "value"
      MESHFL_OBJECT_STORE_REGION       = "value"
      MESHFL_REGISTRY_URL              = "value"
      MESHFL_REGISTRY_TOKEN            = "reference"
      MESHFL_REGISTRY_TOKEN_SECRET_ARN = "value"
      QUARKUS_FUNQY_EXPORT             = "value"
    }
  }
  assert {
    condition     = output.ambiguous == tolist(["MESHFL_REGISTRY_TOKEN"])
    error_message = "ambiguous: ${jsonencode(output.ambiguous)}."
  }
}

run "an_export_the_package_does_not_have_is_a_problem" {
  command = plan
  variables {
    function = "aggregation"
    export   = "sweeps"
    environment = {
      MESHFL_AGGREGATION_LEASE         = "value"
      MESHFL_OBJECT_STORE_BUCKET       = "value"
      MESHFL_OBJECT_STORE_REGION       = "value"
      MESHFL_REGISTRY_URL              = "value"
      MESHFL_REGISTRY_TOKEN_SECRET_ARN = "value"
      QUARKUS_FUNQY_EXPORT             = "value"
    }
  }
  assert {
    condition     = output.unknown_export == tolist(["sweeps"]) && strcontains(output.problems, "names no function")
    error_message = "unknown_export: ${jsonencode(output.unknown_export)}."
  }
}

run "event_types_route_by_the_mapping_when_nothing_is_exported" {
  command = plan
  variables {
    function    = "aggregation"
    event_types = ["dev.knative.connector.event.aws-sqs", "dev.knative.sources.ping"]
    environment = {
      MESHFL_AGGREGATION_LEASE   = "value"
      MESHFL_OBJECT_STORE_BUCKET = "value"
      MESHFL_OBJECT_STORE_REGION = "value"
      MESHFL_REGISTRY_URL        = "value"
      MESHFL_REGISTRY_TOKEN      = "reference"
    }
  }
  assert {
    condition     = output.problems == ""
    error_message = "Unexpected problems: ${output.problems}."
  }
}

# Funqy's Knative binding sends every CloudEvent to the exported function: the PingSource's sweep would run
# aggregate instead.
run "an_export_swallows_the_event_types_of_other_functions" {
  command = plan
  variables {
    function    = "aggregation"
    export      = "aggregate"
    event_types = ["dev.knative.connector.event.aws-sqs", "dev.knative.sources.ping", "dev.example.unknown"]
    environment = {
      MESHFL_AGGREGATION_LEASE   = "value"
      MESHFL_OBJECT_STORE_BUCKET = "value"
      MESHFL_OBJECT_STORE_REGION = "value"
      MESHFL_REGISTRY_URL        = "value"
      MESHFL_REGISTRY_TOKEN      = "reference"
      QUARKUS_FUNQY_EXPORT       = "value"
    }
  }
  assert {
    condition     = output.unrouted == tolist(["dev.example.unknown", "dev.knative.sources.ping"])
    error_message = "unrouted: ${jsonencode(output.unrouted)}."
  }
}
