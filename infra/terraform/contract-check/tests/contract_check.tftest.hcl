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
