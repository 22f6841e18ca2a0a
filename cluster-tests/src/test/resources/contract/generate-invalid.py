#!/usr/bin/env python3
"""Writes the invalid corpus of CrdContractIT: invalid/<case>.yaml, each one base manifest (base/*.yaml, all valid)
with one small edit. The committed YAML files are what the test runs; this script only keeps them consistent.

    python3 cluster-tests/src/test/resources/contract/generate-invalid.py     # needs PyYAML

Every case file starts with comment lines the test reads:

    # base: federation                     the base it was made from (base/federation.yaml)
    # edit: spec.rounds                    the paths the edit touches; the test diffs case and base and asserts these
    #                                      are exactly the paths that differ (metadata.name aside), so a case cannot
    #                                      drift into failing for a second reason
    # expect: spec.rounds                  the field path the API server must name in its rejection
    # message: greater than or equal to 1  optional: a fragment of the server's message for that path
    # crd-bug: ...                         optional: because of a CRD bug the server does not answer as expected
    #                                      (accepts the case, or adds another reason); the test then reports it as
    #                                      skipped with this text, and fails once the server answers as expected, so
    #                                      the marker is removed with the bug

Paths are dotted (spec.model.preset), list items indexed (spec.tolerations[0].key); a key holding dots keeps them
(spec.resources.requests.nvidia.com/gpu).

To add a case: append to CASES, run this script, commit the new file. Removing a case from CASES deletes its file.
"""
import copy
import os
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
BASES = {"federation": "fed", "client-synthetic": "client", "client-files": "client-files"}
GPU = "nvidia.com/gpu"
TERM0 = "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms.0.matchExpressions.0"
DELETE = object()


def case(base, name, why, edits, expect, message=None, crd_bug=None):
    return dict(base=base, name=BASES[base] + "-" + name, why=why, edits=edits, expect=expect, message=message,
                crd_bug=crd_bug)


def split(path):
    """'spec.tolerations.0.key' -> ['spec', 'tolerations', 0, 'key']; a segment 'nvidia.com/gpu' stays whole."""
    out = []
    for part in path.replace(GPU, "\0").split("."):
        part = part.replace("\0", GPU)
        out.append(int(part) if part.isdigit() else part)
    return out


def show(path):
    text = ""
    for seg in split(path):
        text += "[%d]" % seg if isinstance(seg, int) else ("." if text else "") + seg
    return text


# (base, name, why, {path: new value or DELETE}, expected path, message fragment)
CASES = [
    # --- missing required fields
    case("federation", "missing-task", "spec.task is required", {"spec.task": DELETE},
         "spec.task", "Required value"),
    case("federation", "missing-model", "spec.model is required", {"spec.model": DELETE},
         "spec.model", "Required value"),
    case("federation", "missing-evaldata", "spec.evalData is required", {"spec.evalData": DELETE},
         "spec.evalData", "Required value"),
    case("federation", "missing-evaldata-format", "a data source needs its format", {"spec.evalData.format": DELETE},
         "spec.evalData.format", "Required value"),
    case("federation", "missing-storage-bucket", "storage needs a bucket", {"spec.storage.bucket": DELETE},
         "spec.storage.bucket", "Required value"),
    case("federation", "missing-match-expression-key", "a node selector requirement needs its key",
         {TERM0 + ".key": DELETE}, show(TERM0 + ".key"), "Required value"),
    case("federation", "missing-spec", "a Federation without spec has no task, model or evalData (fedmllm local"
         " rejects it: 'spec: required field is missing')", {"spec": DELETE}, "spec", "Required value"),
    case("client-synthetic", "missing-federation-ref", "a client must name its Federation",
         {"spec.federationRef": DELETE}, "spec.federationRef", "Required value"),
    case("client-synthetic", "missing-federation-ref-name", "federationRef needs a name",
         {"spec.federationRef.name": DELETE}, "spec.federationRef.name", "Required value"),
    case("client-synthetic", "missing-data", "a client needs its data", {"spec.data": DELETE},
         "spec.data", "Required value"),
    case("client-synthetic", "missing-generator", "synthetic data needs its generator",
         {"spec.data.synthetic.generator": DELETE}, "spec.data.synthetic.generator", "Required value"),
    case("client-synthetic", "missing-spec", "a FederationClient without spec has no federationRef or data",
         {"spec": DELETE}, "spec", "Required value"),

    # --- wrong types
    case("federation", "rounds-string", "rounds is an integer", {"spec.rounds": "six"},
         "spec.rounds", "expected numeric"),
    case("federation", "rounds-fraction", "rounds is an integer, not a number", {"spec.rounds": 6.5},
         "spec.rounds", "must be of type integer"),
    case("federation", "prompt-string", "modalityAgnosticPrompt is a boolean",
         {"spec.clientStrategies.modalityAgnosticPrompt": "yes"},
         "spec.clientStrategies.modalityAgnosticPrompt", "expected boolean"),
    case("federation", "tolerations-object", "tolerations is a list",
         {"spec.tolerations": {"key": GPU, "operator": "Exists", "effect": "NoSchedule"}},
         "spec.tolerations", "expected list"),
    case("client-synthetic", "index-string", "synthetic.index is an integer", {"spec.data.synthetic.index": "0"},
         "spec.data.synthetic.index", "expected numeric"),
    case("client-synthetic", "node-selector-boolean", "nodeSelector values are strings",
         {"spec.nodeSelector.pool": True}, "spec.nodeSelector.pool", "expected string"),

    # --- numbers out of range
    case("federation", "rounds-zero", "rounds >= 1", {"spec.rounds": 0},
         "spec.rounds", "greater than or equal to 1"),
    case("federation", "min-clients-zero", "minClients >= 1", {"spec.minClients": 0},
         "spec.minClients", "greater than or equal to 1"),
    case("federation", "adapter-rank-too-large", "LoRA rank <= 256", {"spec.adapter.r": 512},
         "spec.adapter.r", "less than or equal to 256"),
    case("federation", "adapter-dropout-one", "dropout is in [0, 1)", {"spec.adapter.dropout": 1.0},
         "spec.adapter.dropout", "less than 1"),
    case("federation", "learning-rate-zero", "learningRate > 0", {"spec.training.learningRate": 0.0},
         "spec.training.learningRate", "greater than 0"),
    case("federation", "warmup-ratio-one", "warmupRatio is in [0, 1)", {"spec.training.warmupRatio": 1.0},
         "spec.training.warmupRatio", "less than 1"),
    case("federation", "target-modules-empty", "at least one adapter target", {"spec.adapter.targetModules": []},
         "spec.adapter.targetModules", "at least 1 items"),
    case("client-files", "gpu-too-many", "at most 64 GPUs", {"spec.resources.limits." + GPU: 65},
         "spec.resources.limits." + GPU, "less than or equal to 64"),

    # --- bad enum values
    case("federation", "task-unknown", "task is hateful, crisis or vqa", {"spec.task": "captioning"},
         "spec.task", "Unsupported value"),
    case("federation", "preset-unknown", "preset is tiny or small", {"spec.model.preset": "large"},
         "spec.model.preset", "Unsupported value"),
    case("federation", "strategy-unknown", "fedprox is a client strategy, not a server one",
         {"spec.serverStrategy.name": "fedprox"}, "spec.serverStrategy.name", "Unsupported value"),
    case("federation", "retain-policy-unknown", "retainPolicy is Retain or Delete",
         {"spec.storage.retainPolicy": "Keep"}, "spec.storage.retainPolicy", "Unsupported value"),
    case("federation", "target-module-unknown", "adapters go on the attention and MLP projections only",
         {"spec.adapter.targetModules.1": "lm_head"}, "spec.adapter.targetModules[1]", "Unsupported value"),
    case("federation", "toleration-effect-unknown", "effect is NoSchedule, PreferNoSchedule or NoExecute",
         {"spec.tolerations.0.effect": "NoRun"}, "spec.tolerations[0].effect", "Unsupported value"),
    case("client-files", "format-unknown", "format is one of the readers'", {"spec.data.format": "csv"},
         "spec.data.format", "Unsupported value"),

    # --- pattern violations
    case("federation", "deadline-decimal", "durations are whole numbers with ms, s, m or h",
         {"spec.roundDeadline": "1.5h"}, "spec.roundDeadline", "should match"),
    case("federation", "deadline-unit", "min is not a duration unit (DEADLINE_POSITIVE skips it: no second error)",
         {"spec.roundDeadline": "10min"}, "spec.roundDeadline", "should match"),
    case("federation", "bucket-uppercase", "S3 bucket names are lower case", {"spec.storage.bucket": "FedMLLM"},
         "spec.storage.bucket", "should match"),
    case("federation", "endpoint-no-scheme", "the endpoint is an http(s) URL",
         {"spec.storage.endpoint": "minio.minio.svc:9000"}, "spec.storage.endpoint", "should match"),
    case("federation", "prefix-leading-slash", "a key prefix has no leading slash",
         {"spec.storage.prefix": "/runs"}, "spec.storage.prefix", "should match"),
    case("federation", "generator-unknown-task", "the generator starts with a task",
         {"spec.evalData.synthetic.generator": "memes,seed=42"}, "spec.evalData.synthetic.generator", "should match"),
    case("federation", "cpu-not-quantity", "cpu is a quantity", {"spec.resources.requests.cpu": "two"},
         "spec.resources.requests.cpu", "should match"),
    case("federation", "priority-class-uppercase", "PriorityClass names are DNS-1123",
         {"spec.priorityClassName": "Training"}, "spec.priorityClassName", "should match"),
    case("federation", "toleration-key-bad", "a taint key is a label key",
         {"spec.tolerations.0.key": "nvidia.com/gpu/extra"}, "spec.tolerations[0].key", "should match"),
    case("client-synthetic", "scenario-without-parameter", "aligned needs its alpha",
         {"spec.data.synthetic.scenario": "aligned"}, "spec.data.synthetic.scenario", "should match"),
    case("client-synthetic", "federation-ref-uppercase", "a Federation name is DNS-1123",
         {"spec.federationRef.name": "Base_Federation"}, "spec.federationRef.name", "should match"),
    case("client-synthetic", "federation-ref-leading-digit", "a Federation name is a DNS-1035 label",
         {"spec.federationRef.name": "1-federation"}, "spec.federationRef.name", "should match"),
    case("client-files", "pvc-name-bad", "a PersistentVolumeClaim name is DNS-1123",
         {"spec.data.volume.persistentVolumeClaim": "Site_A"}, "spec.data.volume.persistentVolumeClaim",
         "should match"),

    # --- unknown fields (strict field validation)
    case("federation", "unknown-root-field", "an unknown top-level field", {"extra": True},
         "extra", "field not declared in schema"),
    case("federation", "unknown-spec-field", "epochs is not a Federation field (training.localEpochs is)",
         {"spec.epochs": 3}, "spec.epochs", "field not declared in schema"),
    case("federation", "unknown-training-field", "a typo of localEpochs", {"spec.training.localEpoch": 1},
         "spec.training.localEpoch", "field not declared in schema"),
    case("federation", "unknown-model-field", "the model has no name field", {"spec.model.name": "llava"},
         "spec.model.name", "field not declared in schema"),
    case("client-synthetic", "unknown-synthetic-field", "the seed goes into the generator string",
         {"spec.data.synthetic.seed": 42}, "spec.data.synthetic.seed", "field not declared in schema"),
    case("client-synthetic", "unknown-toleration-field", "a typo of tolerationSeconds",
         {"spec.tolerations.0.tolerationSecond": 60}, "spec.tolerations[0].tolerationSecond",
         "field not declared in schema"),

    # --- cross-field CEL rules (CelRules.java), one or more cases per rule
    case("federation", "cel-name-with-dot", "NAME_IS_DNS_1035_LABEL: a dot (a valid DNS-1123 subdomain, so only the"
         " rule objects)", {"metadata.name": "fed.cel-name-with-dot"}, "metadata.name",
         "must be a DNS-1035 label"),
    case("federation", "cel-name-leading-digit", "NAME_IS_DNS_1035_LABEL: the <name>-metrics Service cannot start"
         " with a digit", {"metadata.name": "0-fed-cel-name-leading-digit"}, "metadata.name",
         "must be a DNS-1035 label"),
    case("federation", "cel-name-too-long", "NAME_IS_DNS_1035_LABEL: 64 characters",
         {"metadata.name": "fed-cel-name-too-long-" + "x" * 42}, "metadata.name", "must be a DNS-1035 label"),
    case("client-synthetic", "cel-name-with-dot", "NAME_IS_DNS_1035_LABEL on a FederationClient: a dot",
         {"metadata.name": "client.cel-name-with-dot"}, "metadata.name", "must be a DNS-1035 label"),
    case("client-synthetic", "cel-name-leading-digit", "NAME_IS_DNS_1035_LABEL on a FederationClient: a leading"
         " digit", {"metadata.name": "1-client-cel-name-leading-digit"}, "metadata.name", "must be a DNS-1035 label"),
    case("federation", "cel-sampling-one-of", "SAMPLING_ONE_OF", {"spec.clientFraction": 0.5},
         "spec", "set at most one of clientsPerRound and clientFraction"),
    case("federation", "cel-min-clients-within-round", "MIN_CLIENTS_WITHIN_ROUND", {"spec.minClients": 4},
         "spec.minClients", "minClients must not exceed clientsPerRound"),
    case("federation", "cel-deadline-positive", "DEADLINE_POSITIVE", {"spec.roundDeadline": "0s"},
         "spec.roundDeadline", "roundDeadline must be longer than 0s"),
    case("federation", "cel-start-within-quorum", "START_WITHIN_QUORUM: round 0 waiting for fewer clients than"
         " the quorum", {"spec.startPolicy": {"minClients": 1}},
         "spec.startPolicy.minClients", "startPolicy.minClients must be at least minClients"),
    case("federation", "cel-half-transfer-not-scaffold", "HALF_TRANSFER_NOT_SCAFFOLD: float16 updates with scaffold",
         {"spec.adapter.transferDtype": "float16", "spec.serverStrategy.name": "scaffold"},
         "spec.adapter.transferDtype", "adapter.transferDtype float16 is not supported with scaffold"),
    case("federation", "cel-start-timeout-positive", "START_TIMEOUT_POSITIVE", {"spec.startPolicy": {"timeout": "0s"}},
         "spec.startPolicy.timeout", "timeout must be longer than 0s"),
    case("federation", "cel-eval-not-partitioned", "EVAL_NOT_PARTITIONED (a complete, in-range partition, so that"
         " only this rule fails)", {"spec.evalData.synthetic.scenario": "aligned:0.5",
                                    "spec.evalData.synthetic.clients": 3, "spec.evalData.synthetic.index": 0},
         "spec.evalData.synthetic", "evalData.synthetic must not set scenario, clients or index"),
    case("federation", "cel-model-preset-and-weights", "MODEL_ONE_OF: both (config added too, so that"
         " MODEL_CONFIG_WITH_WEIGHTS holds)", {"spec.model.baseWeights": "s3://models/base/model.safetensors",
                                               "spec.model.config": "s3://models/base/config.json"},
         "spec.model", "set exactly one of preset, baseWeights and checkpoint"),
    case("federation", "cel-model-neither", "MODEL_ONE_OF: neither", {"spec.model.preset": DELETE},
         "spec.model", "set exactly one of preset, baseWeights and checkpoint"),
    case("federation", "cel-model-preset-and-checkpoint", "MODEL_ONE_OF: a preset and a checkpoint",
         {"spec.model.checkpoint": {"s3": "s3://fedmllm/models/SmolVLM-256M-Instruct/"}},
         "spec.model", "set exactly one of preset, baseWeights and checkpoint"),
    case("federation", "cel-checkpoint-one-of", "CHECKPOINT_ONE_OF: path and s3",
         {"spec.model.preset": DELETE, "spec.model.checkpoint": {
             "path": "SmolVLM-256M-Instruct", "s3": "s3://fedmllm/models/SmolVLM-256M-Instruct/"}},
         "spec.model.checkpoint", "set exactly one of path and s3"),
    case("federation", "cel-checkpoint-neither", "CHECKPOINT_ONE_OF: neither path nor s3",
         {"spec.model.preset": DELETE, "spec.model.checkpoint": {"name": "HuggingFaceTB/SmolVLM-256M-Instruct"}},
         "spec.model.checkpoint", "set exactly one of path and s3"),
    case("federation", "cel-checkpoint-volume-needs-path", "CHECKPOINT_VOLUME_NEEDS_PATH: s3 with a volume",
         {"spec.model.preset": DELETE, "spec.model.checkpoint": {
             "s3": "s3://fedmllm/models/SmolVLM-256M-Instruct/", "volume": {"persistentVolumeClaim": "smolvlm-256m"}}},
         "spec.model.checkpoint.volume", "volume is only used together with path"),
    case("federation", "pattern-checkpoint-s3", "checkpoint.s3 must be an s3:// URI",
         {"spec.model.preset": DELETE, "spec.model.checkpoint": {"s3": "https://models.example/SmolVLM/"}},
         "spec.model.checkpoint.s3", "should match"),
    case("federation", "pattern-checkpoint-name", "checkpoint.name has no spaces",
         {"spec.model.preset": DELETE, "spec.model.checkpoint": {"path": "SmolVLM-256M-Instruct",
                                                                 "name": "SmolVLM 256M"}},
         "spec.model.checkpoint.name", "should match"),
    case("federation", "cel-model-config-without-weights", "MODEL_CONFIG_WITH_WEIGHTS: config with a preset",
         {"spec.model.config": "s3://models/base/config.json"},
         "spec.model", "config is required with baseWeights and only allowed with it"),
    case("federation", "cel-model-weights-without-config", "MODEL_CONFIG_WITH_WEIGHTS: baseWeights alone",
         {"spec.model.preset": DELETE, "spec.model.baseWeights": "s3://models/base/model.safetensors"},
         "spec.model", "config is required with baseWeights and only allowed with it"),
    case("federation", "cel-half-base-with-preset", "HALF_BASE_NEEDS_CHECKPOINT: float16 weights of a preset",
         {"spec.model.baseDtype": "float16"},
         "spec.model.baseDtype", "baseDtype float16 needs a checkpoint"),
    case("federation", "cel-targets-unique", "TARGETS_UNIQUE", {"spec.adapter.targetModules.1": "q_proj"},
         "spec.adapter.targetModules", "targetModules must not list a module twice"),
    case("federation", "cel-epochs-or-steps", "EPOCHS_OR_STEPS", {"spec.training.localEpochs": 1},
         "spec.training", "set at most one of localEpochs and localSteps"),
    case("federation", "cel-fedavg-parameters", "FEDAVG_PARAMETERS: fedavg with eta",
         {"spec.serverStrategy.name": "fedavg"}, "spec.serverStrategy", "fedavg takes no parameters"),
    case("federation", "cel-fedavgm-parameters", "FEDAVGM_PARAMETERS: fedavgm with eta",
         {"spec.serverStrategy.name": "fedavgm"}, "spec.serverStrategy", "fedavgm takes only beta1"),
    case("federation", "cel-fedadagrad-parameters", "FEDADAGRAD_PARAMETERS: fedadagrad with beta1",
         {"spec.serverStrategy.name": "fedadagrad", "spec.serverStrategy.beta1": 0.9},
         "spec.serverStrategy", "fedadagrad takes only eta and tau"),
    case("federation", "cel-scaffold-parameters", "SCAFFOLD_PARAMETERS: scaffold with tau",
         {"spec.serverStrategy.name": "scaffold", "spec.serverStrategy.tau": 0.001},
         "spec.serverStrategy", "scaffold takes only eta"),
    case("federation", "cel-proximal-one-of", "PROXIMAL_ONE_OF", {"spec.clientStrategies.fedProx": {"mu": 0.01}},
         "spec.clientStrategies", "set at most one of fedProx and middleLayerRegularizer"),
    case("federation", "cel-gpu-requests-exceed-limits", "GPU_NOT_OVERCOMMITTED: requests differ from limits",
         {"spec.resources.requests." + GPU: 2}, "spec.resources.requests", "nvidia.com/gpu cannot be overcommitted"),
    case("federation", "cel-gpu-requests-without-limits", "GPU_NOT_OVERCOMMITTED: requests without limits",
         {"spec.resources.limits." + GPU: DELETE}, "spec.resources.requests",
         "nvidia.com/gpu cannot be overcommitted"),
    case("client-files", "cel-gpu-overcommitted", "GPU_NOT_OVERCOMMITTED on a client's resources",
         {"spec.resources.requests." + GPU: 2}, "spec.resources.requests", "nvidia.com/gpu cannot be overcommitted"),
    case("federation", "cel-exists-takes-no-value", "EXISTS_TAKES_NO_VALUE", {"spec.tolerations.0.value": "true"},
         "spec.tolerations[0].value", "operator Exists takes no value"),
    case("client-synthetic", "cel-empty-key-needs-exists", "EMPTY_KEY_NEEDS_EXISTS",
         {"spec.tolerations.0.key": DELETE}, "spec.tolerations[0]",
         "a toleration without key must use operator Exists"),
    case("client-synthetic", "cel-seconds-only-no-execute", "SECONDS_ONLY_NO_EXECUTE",
         {"spec.tolerations.0.tolerationSeconds": 60}, "spec.tolerations[0].tolerationSeconds",
         "tolerationSeconds applies only to effect NoExecute"),
    case("federation", "cel-set-operators-need-values", "SET_OPERATORS_NEED_VALUES", {TERM0 + ".values": DELETE},
         show(TERM0 + ".operator"), "operators In and NotIn need at least one value"),
    case("federation", "cel-exists-operators-take-no-values", "EXISTS_OPERATORS_TAKE_NO_VALUES",
         {TERM0 + ".operator": "Exists"}, show(TERM0 + ".values"), "operators Exists and DoesNotExist take no values"),
    case("federation", "cel-comparison-takes-one-value", "COMPARISON_TAKES_ONE_VALUE",
         {TERM0 + ".operator": "Gt", TERM0 + ".values": ["4", "8"]}, show(TERM0 + ".values"),
         "operators Gt and Lt take exactly one value"),
    case("client-synthetic", "cel-synthetic-missing", "SYNTHETIC_MATCHES_FORMAT: format synthetic without synthetic",
         {"spec.data.synthetic": DELETE}, "spec.data",
         "synthetic is required with format synthetic and only allowed with it"),
    case("client-files", "cel-synthetic-with-file-format", "SYNTHETIC_MATCHES_FORMAT: synthetic with a file format",
         {"spec.data.synthetic": {"generator": "hateful,seed=42,count=600"}}, "spec.data",
         "synthetic is required with format synthetic and only allowed with it"),
    case("client-files", "cel-files-one-of", "FILES_ONE_OF: path and s3",
         {"spec.data.s3": "s3://fedmllm/datasets/hateful_memes/site-a"}, "spec.data",
         "set exactly one of path and s3"),
    case("client-synthetic", "cel-synthetic-reads-no-files", "SYNTHETIC_READS_NO_FILES",
         {"spec.data.path": "hateful_memes"}, "spec.data", "format synthetic reads no files"),
    case("client-files", "cel-volume-needs-path", "VOLUME_NEEDS_PATH: s3 instead of path, volume left",
         {"spec.data.path": DELETE, "spec.data.s3": "s3://fedmllm/datasets/hateful_memes/site-a"}, "spec.data",
         "volume is only used together with path"),
    case("client-files", "cel-volume-one-of", "VOLUME_ONE_OF: both", {"spec.data.volume.hostPath": "/data"},
         "spec.data.volume", "set exactly one of persistentVolumeClaim and hostPath"),
    case("client-synthetic", "cel-partition-all-or-none", "PARTITION_ALL_OR_NONE",
         {"spec.data.synthetic.index": DELETE}, "spec.data.synthetic", "scenario, clients and index go together"),
    case("client-synthetic", "cel-partition-index-in-range", "PARTITION_INDEX_IN_RANGE",
         {"spec.data.synthetic.index": 3}, "spec.data.synthetic.index", "index must be below clients"),
]


def apply_edit(doc, path, value):
    segs = split(path)
    node = doc
    for seg in segs[:-1]:
        if isinstance(seg, str) and seg not in node:
            node[seg] = {}
        node = node[seg]
    last = segs[-1]
    if value is DELETE:
        assert last in node if isinstance(node, dict) else last < len(node), "nothing to delete at " + path
        del node[last]
    else:
        old = node.get(last) if isinstance(node, dict) else node[last]
        assert old != value or type(old) != type(value), "edit changes nothing at " + path
        node[last] = value


class Dumper(yaml.SafeDumper):
    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)  # indent list items under their key, as the examples do


def main():
    out_dir = os.path.join(HERE, "invalid")
    bases = {}
    for base in BASES:
        with open(os.path.join(HERE, "base", base + ".yaml")) as f:
            bases[base] = yaml.safe_load(f)
    names = [c["name"] for c in CASES]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        sys.exit("duplicate case names: %s" % sorted(dupes))
    for c in CASES:
        doc = copy.deepcopy(bases[c["base"]])
        doc["metadata"]["name"] = c["name"]
        for path, value in c["edits"].items():
            apply_edit(doc, path, value)
        header = ["# Generated by ../generate-invalid.py: edit the CASES table there, not this file.",
                  "# why: " + c["why"],
                  "# base: " + c["base"],
                  "# edit: " + ", ".join(show(p) for p in c["edits"]),
                  "# expect: " + c["expect"]]
        if c["message"]:
            header.append("# message: " + c["message"])
        if c["crd_bug"]:
            header.append("# crd-bug: " + c["crd_bug"])
        body = yaml.dump(doc, Dumper=Dumper, sort_keys=False, default_flow_style=False, width=120)
        with open(os.path.join(out_dir, c["name"] + ".yaml"), "w") as f:
            f.write("\n".join(header) + "\n" + body)
    for existing in os.listdir(out_dir):
        if existing.endswith(".yaml") and existing[:-5] not in names:
            os.remove(os.path.join(out_dir, existing))
    print("%d cases in %s" % (len(CASES), out_dir))


if __name__ == "__main__":
    main()
