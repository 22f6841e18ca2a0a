package io.fedmllm.manifest;

import io.fedmllm.api.v1alpha1.DataFormat;
import io.fedmllm.api.v1alpha1.ServerStrategyName;
import io.fedmllm.api.v1alpha1.TargetModule;
import io.fedmllm.api.v1alpha1.TaskType;
import io.fedmllm.api.v1alpha1.TrainingDevice;
import io.fedmllm.data.DatasetFormat;
import io.fedmllm.data.Task;
import io.fedmllm.strategy.FedAdagrad;
import io.fedmllm.strategy.FedAdam;
import io.fedmllm.strategy.FedAvg;
import io.fedmllm.strategy.FedAvgM;
import io.fedmllm.strategy.FedYogi;
import io.fedmllm.strategy.Scaffold;
import io.fedmllm.train.DevicePreference;

/** The API's enums in the engine's terms; a switch per enum, so a value added on one side fails to compile. */
final class ApiMappings {

  private ApiMappings() {}

  static Task task(TaskType type) {
    return switch (type) {
      case HATEFUL -> Task.HATEFUL;
      case CRISIS -> Task.CRISIS;
      case VQA -> Task.VQA;
    };
  }

  static DatasetFormat format(DataFormat format) {
    return switch (format) {
      case HATEFUL_MEMES -> DatasetFormat.HATEFUL_MEMES;
      case CRISISMMD -> DatasetFormat.CRISISMMD;
      case LLAVA -> DatasetFormat.LLAVA;
      case JSONL -> DatasetFormat.JSONL;
      case SYNTHETIC -> DatasetFormat.SYNTHETIC;
    };
  }

  /** The name {@link io.fedmllm.strategy.ServerStrategies#create} knows the strategy by. */
  static String strategyName(ServerStrategyName name) {
    return switch (name) {
      case FEDAVG -> FedAvg.NAME;
      case FEDAVGM -> FedAvgM.NAME;
      case FEDADAM -> FedAdam.NAME;
      case FEDYOGI -> FedYogi.NAME;
      case FEDADAGRAD -> FedAdagrad.NAME;
      case SCAFFOLD -> Scaffold.NAME;
    };
  }

  /** The PEFT module name, as {@link io.fedmllm.model.LoraConfig} lists it. */
  static String moduleName(TargetModule module) {
    return switch (module) {
      case Q_PROJ -> "q_proj";
      case K_PROJ -> "k_proj";
      case V_PROJ -> "v_proj";
      case O_PROJ -> "o_proj";
      case GATE_PROJ -> "gate_proj";
      case UP_PROJ -> "up_proj";
      case DOWN_PROJ -> "down_proj";
    };
  }

  /** {@code spec.training.device}; absent means {@code auto}, its default. */
  static DevicePreference device(TrainingDevice device) {
    if (device == null) {
      return DevicePreference.AUTO;
    }
    return switch (device) {
      case AUTO -> DevicePreference.AUTO;
      case CPU -> DevicePreference.CPU;
      case CUDA -> DevicePreference.CUDA;
    };
  }
}
