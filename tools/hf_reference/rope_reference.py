# Prints transformers' rotary inverse frequencies for the scaled rope types fedmllm implements (linear, llama3);
# its output is trainer-image/src/test/resources/hf-goldens/rope-inverse-frequencies.json (RopeScalingTest).
# Run with the generator's venv: ~/.cache/fedmllm/venv-hf/bin/python tools/hf_reference/rope_reference.py
# transformers' rope init functions for the scaled types our RopeParameters implements
import json
from transformers import LlamaConfig
from transformers.modeling_rope_utils import ROPE_INIT_FUNCTIONS
out = {}
cases = {
  "linear": {"rope_type": "linear", "factor": 4.0, "rope_theta": 10000.0},
  "llama3": {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
             "original_max_position_embeddings": 64, "rope_theta": 500000.0},
}
for name, rp in cases.items():
    cfg = LlamaConfig(hidden_size=64, num_attention_heads=2, max_position_embeddings=512, rope_parameters=rp)
    inv, factor = ROPE_INIT_FUNCTIONS[rp["rope_type"]](cfg, "cpu")
    out[name] = {"inv_freq": [float(x) for x in inv.tolist()], "attention_factor": float(factor)}
print(json.dumps(out))
